// Property tests for issue 23 over every parser of a file and every renderer: generated inputs
// (deep nesting, long runs of one token, control characters, huge numbers, include graphs) never
// end in anything but an InputError (a CLI run never exits 4), a budget exceeded ends in its
// documented words, and what a renderer writes, passed through the redaction boundary as
// deliver() passes it, holds no unescaped control character and no registered secret.

import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { STATUSES } from '../../../src/checks/ids.js';
import { FORMATS } from '../../../src/plan.js';
import { parseDhcpdConf } from '../../../src/sources/dhcpd/parse.js';
import { readKeaConfigFile } from '../../../src/sources/kea/config-file.js';
import { windowsExportFacts } from '../../../src/sources/windows-export.js';
import { windowsJsonFacts } from '../../../src/sources/windows-json.js';
import { parseDocument } from '../../../src/util/document.js';
import { nestedTooDeep } from '../../../src/util/nesting.js';
import { clearSecrets, maskSecrets, registerCredentials } from '../../../src/util/secrets.js';
import { inputOr, inputOrAsync, numRuns, tempFiles } from '../../helpers/property-files.js';
import { renderOne, report, result } from '../../helpers/report-fixture.js';

const runs = Math.min(numRuns, 300);
const files = tempFiles('dfc-hostile-prop-');
after(files.remove);

/** Pieces an attacker strings together: brackets of every format, runs, controls, huge numbers. */
const PIECES = [
  '[',
  ']',
  '{',
  '}',
  '<a>',
  '</a>',
  '{"k":',
  ',',
  ':',
  '"',
  '1e400',
  '-1e400',
  '.inf',
  '9'.repeat(400),
  ';',
  'group {',
  '- ',
  '\n',
  '  ',
  '\u001b]0;x\u0007',
  '\u0000',
  '<?include "x"?>',
  'include "x";',
  '#',
  '/*',
  'true',
  'null',
];
const hostile = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 400 }).map((p) => p.join('')),
  fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 3000 })).map(([p, n]) => p.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

/** A nesting of `depth` levels in each format, closed or not. */
const nesting = fc.record({ depth: fc.integer({ min: 257, max: 5000 }), closed: fc.boolean(), open: fc.constantFrom('[', '{"a":') });

describe('parsers: hostile input ends in an InputError, a budget in its documented words', () => {
  it('windows-json, windows-export, dhcpd.conf and Kea throw nothing but InputError', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        inputOr(() => windowsJsonFacts('b.json', text));
        inputOr(() => windowsExportFacts('x.xml', `<DHCPServer>${text}</DHCPServer>`));
        const conf = files.file('h.conf', text);
        inputOr(() => parseDhcpdConf(conf, { maxFileBytes: 1 << 20 }));
        const kea = files.file('h.json', `{"Dhcp4": {"x": ${text}}}`);
        inputOr(() => readKeaConfigFile(kea, { cwd: files.dir }));
      }),
      { numRuns: runs },
    );
  });

  it("YAML and JSON documents throw nothing but InputError, whose words are never the runtime's", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        const r = await inputOrAsync(() => parseDocument('c.yaml', `a: ${text}\n`, z.unknown()));
        if (!r.ok) assert.doesNotMatch(r.error.message, /call stack|got null/);
      }),
      { numRuns: runs },
    );
  });

  it('nesting beyond 256 levels is refused in the one message by every parser', async () => {
    await fc.assert(
      fc.asyncProperty(nesting, async ({ depth, closed, open }) => {
        const close = open === '[' ? ']' : '}';
        const json = `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
        const want = nestedTooDeep(1);
        assert.equal((inputOr(() => windowsJsonFacts('b.json', json)) as { error: Error }).error.message, `b.json: ${want}`);
        assert.equal(((await inputOrAsync(() => parseDocument('c.yaml', json, z.unknown()))) as { error: Error }).error.message, `c.yaml: ${want}`);
        const kea = files.file('n.json', `{"Dhcp4": {"x": ${json}}}`);
        assert.equal((inputOr(() => readKeaConfigFile(kea)) as { error: Error }).error.message, `kea-config: ${kea}: ${want}`);
        const xml = `<DHCPServer>${'<a>'.repeat(depth)}${closed ? '</a>'.repeat(depth) : ''}</DHCPServer>`;
        assert.equal((inputOr(() => windowsExportFacts('x.xml', xml)) as { error: Error }).error.message, `x.xml: ${want}`);
        const conf = files.file('n.conf', `${'group { '.repeat(depth)}${closed ? '}'.repeat(depth) : ''}`);
        assert.equal((inputOr(() => parseDhcpdConf(conf)) as { error: Error }).error.message, `dhcpd: ${conf}: ${want}`);
      }),
      { numRuns: 30 },
    );
  });

  it('include graphs end in a loop, depth or budget error naming the chain', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), { minLength: 4, maxLength: 4 }), (edges) => {
        const names = edges.map((_, i) => files.file(`g${i}.conf`, ''));
        for (const [i, targets] of edges.entries()) files.file(`g${i}.conf`, targets.map((t) => `include "${names[t]}";\n`).join(''));
        const r = inputOr(() => parseDhcpdConf(names[0]!));
        if (!r.ok) assert.match(r.error.message, /include loop|includes nested deeper|more than \d+ files included \(include chain: |larger than/);
      }),
      { numRuns: 50 },
    );
  });
});

describe('renderers behind the redaction boundary', () => {
  afterEach(clearSecrets);
  const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
  const text = fc.string({
    unit: fc.oneof(fc.constantFrom('\u001b', '\u0007', '\u009b', '\r', '[', '2J', ']0;', ' '), fc.string({ unit: 'binary', maxLength: 3 })),
    maxLength: 40,
  });

  it('no format prints a raw control character or a registered secret', () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom(...STATUSES), (a, b, status) => {
        const secret = 'Pw-Hostile-9931';
        registerCredentials('kea', secret);
        const basic = Buffer.from(`kea:${secret}`).toString('base64');
        const r = report([
          result('version', status, `${a} agent said: Authorization: Basic ${basic} ${secret}`, { details: { text: `${b}${secret}` }, fix: b }),
        ]);
        for (const format of FORMATS) {
          const out = maskSecrets(renderOne(format, r, { color: false, verbose: true }));
          assert.ok(!out.includes(secret) && !out.includes(basic), `${format} shows the secret`);
          // JUnit and JSON escape by their own rules; what remains raw is only \t \n \r.
          assert.doesNotMatch(out.replace(/\r/g, ''), CONTROLS, `${format}: ${JSON.stringify(out.slice(0, 200))}`);
        }
      }),
      { numRuns: Math.min(runs, 100) },
    );
  });
});
