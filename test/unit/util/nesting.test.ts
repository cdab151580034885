import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { parseDhcpdConf } from '../../../src/sources/dhcpd/parse.js';
import { readKeaConfigFile } from '../../../src/sources/kea/config-file.js';
import { windowsExportFacts } from '../../../src/sources/windows-export.js';
import { windowsJsonFacts } from '../../../src/sources/windows-json.js';
import { parseDocument } from '../../../src/util/document.js';
import { InputError } from '../../../src/util/errors.js';
import { MAX_NESTING } from '../../../src/util/nesting.js';
import { throwsInput } from '../../helpers/input-error.js';

// Every parser of a file refuses nesting beyond one documented depth, in the same words, before
// any recursion or rescanning the nesting could drive; and includes spend one budget per source.

const dir = mkdtempSync(join(tmpdir(), 'nesting-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function rejectsInput(work: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.message, message);
    return true;
  });
}

describe('nesting: one limit, one message, every parser', () => {
  it('is 256 levels', () => assert.equal(MAX_NESTING, 256));

  it('JSON (windows-json): 5,000 nested arrays, and 160,000 never closed, end in the refusal', () => {
    throwsInput(() => windowsJsonFacts('b.json', `{"Scopes":\n${'['.repeat(5000)}${']'.repeat(5000)}}`), 'b.json: nested deeper than 256 levels at line 2');
    throwsInput(() => windowsJsonFacts('b.json', '['.repeat(160_000)), 'b.json: nested deeper than 256 levels at line 1');
    // 256 levels are read (then judged by what they hold, not by their depth).
    assert.throws(
      () => windowsJsonFacts('b.json', `{"x":${'['.repeat(255)}${']'.repeat(255)}}`),
      (err: Error) => !/nested/.test(err.message),
    );
  });

  it('JSON: an earlier syntax error still comes first', () => {
    throwsInput(() => windowsJsonFacts('b.json', `[1 2, ${'['.repeat(1000)}`), "b.json: invalid JSON at line 1, column 4: expected ',' or ']', found \"2\"");
  });

  it('YAML and JSON documents (config, plan, inventory): flow, block and compact nesting', async () => {
    const schema = z.unknown();
    await rejectsInput(parseDocument('c.yaml', `a:\n  b: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, schema), 'c.yaml: nested deeper than 256 levels at line 2');
    await rejectsInput(parseDocument('c.yaml', `a: ${'- '.repeat(5000)}x\n`, schema), 'c.yaml: nested deeper than 256 levels at line 1');
    const block = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:\n${i % 2 ? '# a comment\n' : ''}`).join('');
    await rejectsInput(parseDocument('c.yaml', block, schema), 'c.yaml: nested deeper than 256 levels at line 385');
    await rejectsInput(parseDocument('c.yaml', '{"a":'.repeat(300), schema), 'c.yaml: nested deeper than 256 levels at line 1');
    // Real depth passes, and so do brackets inside strings and comments.
    assert.deepEqual(await parseDocument('c.yaml', `a: "${'['.repeat(1000)}"\n# ${'{'.repeat(1000)}\nb: [[1]]\n`, schema), { a: '['.repeat(1000), b: [[1]] });
  });

  it('XML (windows-export): deep elements', () => {
    throwsInput(
      () => windowsExportFacts('x.xml', `<DHCPServer>\n${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</DHCPServer>`),
      'x.xml: nested deeper than 256 levels at line 2',
    );
  });

  it('XML: a million attributes on one element are read by a loop, not the regex stack', () => {
    const attrs = Array.from({ length: 1_000_000 }, (_, i) => `a${i}="1"`).join(' ');
    assert.equal(windowsExportFacts('x.xml', `<DHCPServer ${attrs}></DHCPServer>`).scopes, undefined);
  });

  it("Kea's JSON with comments", () => {
    const path = file('deep.conf', `{"Dhcp4": {"x":\n${'['.repeat(1000)}${']'.repeat(1000)}}}`);
    throwsInput(() => readKeaConfigFile(path), `kea-config: ${path}: nested deeper than 256 levels at line 2`);
  });

  it('dhcpd.conf: deep blocks, and 5 million semicolons end in an error, not a crash', () => {
    const deep = file('deep-dhcpd.conf', `\n${'group { '.repeat(300)}`);
    throwsInput(() => parseDhcpdConf(deep), `dhcpd: ${deep}: nested deeper than 256 levels at line 2`);
    const semis = file('semis.conf', ';'.repeat(5_000_000));
    throwsInput(() => parseDhcpdConf(semis), `dhcpd: ${semis} line 1: more than 4000000 tokens`);
  });
});

describe('includes: one budget per source, the chain in the message', () => {
  it('Kea: a 100 × 100 × 100 fan-out ends at the 1001st inclusion', () => {
    const c = file('kc.json', Array.from({ length: 100 }, () => '[1,2,3]').join(','));
    const b = file('kb.json', Array.from({ length: 100 }, () => `<?include "${c}"?>`).join(','));
    const a = file('ka.json', `{"Dhcp4": {"x": [${Array.from({ length: 100 }, () => `<?include "${b}"?>`).join(',')}]}}`);
    assert.throws(
      () => readKeaConfigFile(a),
      (err: unknown) => err instanceof InputError && err.message.endsWith(`: more than 1000 files included (include chain: ${a} -> ${b} -> ${c})`),
    );
  });

  it('dhcpd: a fan-out ends the same way', () => {
    const c = file('dc.conf', 'option domain-name "x";\n');
    const b = file('db.conf', `include "${c}";\n`.repeat(100));
    const a = file('da.conf', `include "${b}";\n`.repeat(100));
    assert.throws(
      () => parseDhcpdConf(a),
      (err: unknown) => err instanceof InputError && err.message.endsWith(`: more than 1000 files included (include chain: ${a} -> ${b} -> ${c})`),
    );
  });

  it('dhcpd: the expanded bytes are counted, each inclusion again', () => {
    const c = file('big.conf', `# ${'x'.repeat(1000)}\n`);
    const a = file('many.conf', `include "${c}";\n`.repeat(20));
    throwsInput(
      () => parseDhcpdConf(a, { maxExpandedBytes: 10_000 }),
      `dhcpd: ${a} line 10: the configuration with its includes is larger than 9.8 KiB (include chain: ${a} -> ${c})`,
    );
  });
});
