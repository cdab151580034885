import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { windowsExportFacts } from '../../../src/sources/windows-export.js';
import { windowsJsonFacts } from '../../../src/sources/windows-json.js';

// The Windows sources read their files in chunks; every result and every error must be the same
// wherever the chunk boundaries fall (inside a key, an escape, a number, a tag, a "<!DOCTYPE").

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function sameInAnyChunks(read: (file: string, text: string | string[]) => unknown, text: string): void {
  const whole = outcome(() => read('t', text));
  for (const size of [1, 2, 3, 5, 7, 13, 64])
    assert.deepEqual(
      outcome(() => read('t', pieces(text, size))),
      whole,
      `chunks of ${size}`,
    );
}

describe('chunk seams', () => {
  it('windows-json: fixtures, escapes, numbers and errors read the same in any chunking', async () => {
    for (const name of ['ps51-bundle.json', 'collapsed.json', 'wrapped.json', 'wrong-types.json']) {
      sameInAnyChunks(windowsJsonFacts, (await readFile(`test/fixtures/windows/${name}`, 'utf8')).replace(/^\ufeff/, ''));
    }
    const texts = [
      '{"ComputerName":"A\\u00e9\\n\\"x\\"","Version":{"MajorVersion":10,"MinorVersion":0},"Other":[1.5e3,-0.25,true,false,null,{"a":[]}]}',
      '{"Version":{"MajorVersion":10,"MinorVersion":0},"Scopes":[{"ScopeId":"10.0.0.0","SubnetMask":"255.255.255.0"},{"ScopeId":"10.0.1.5","SubnetMask":"255.255.255.0"}]}',
      '{"Version":{"MajorVersion":10,"MinorVersion":0},"Scopes":{"value":[{"ScopeId":"10.0.0.0","SubnetMask":"255.255.255.0"}],"Count":1}}',
      '{"Version":{"MajorVersion":10,"MinorVersion":0}} x',
      '{"Version":{"MajorVersion":1e}}',
      '{"Version":{"MajorVersion":"\\x"}}',
      '{"Version":{"MajorVersion":10,"MinorVersion":0},"Version":{}}',
      '{"Version":{"MajorVersion":10,"MinorVersion":0},"Scopes":[{"ScopeId":"10.0.0.0","ScopeId":"10.0.0.0"}]}',
      '{"Version": {"MajorVersion": 10',
      '{"a": tru}',
    ];
    for (const text of texts) sameInAnyChunks(windowsJsonFacts, text);
  });

  it('windows-json: refuses duplicate keys where it reads values', () => {
    assert.throws(() => windowsJsonFacts('t.json', '{"Version":{"MajorVersion":10,"MinorVersion":0},\n "Version":{}}'), {
      name: 'InputError',
      message: 't.json: invalid JSON at line 2, column 2: duplicate property "Version"',
    });
  });

  it('windows-export: fixture, errors and a split DOCTYPE read the same in any chunking', async () => {
    const text = (await readFile('test/fixtures/windows/export.xml', 'utf8')).replace(/^\ufeff/, '');
    sameInAnyChunks(windowsExportFacts, text);
    sameInAnyChunks(windowsExportFacts, text.replace('</Name>', '</Nam>'));
    sameInAnyChunks(windowsExportFacts, text.replace('R&amp;D', 'R&xxe;D'));
    sameInAnyChunks(windowsExportFacts, text.slice(0, 900));
    sameInAnyChunks(windowsExportFacts, `${text.slice(0, 500)}<!-- x -->${text.slice(500)}<!DOCTYPE x>`);
    sameInAnyChunks(windowsExportFacts, `<DHCPServer><a>1 < 2</a></DHCPServer><!doctype x>`);
  });
});
