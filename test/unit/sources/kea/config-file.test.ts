import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_INCLUDE_DEPTH, readKeaConfigFile } from '../../../../src/sources/kea/config-file.js';
import { throwsInput } from '../../../helpers/input-error.js';

const FIXTURE = '/work/shared/fixtures/kea/ha-load-balancing-primary.json';
const dir = mkdtempSync(join(tmpdir(), 'kea-config-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A file in its own folder; returns its absolute path. */
function write(name: string, text: string | Buffer, folder = dir): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}
const fresh = (text: string | Buffer): string => write(`c${++n}.json`, text);
const read = (text: string) => readKeaConfigFile(fresh(text), { cwd: dir }).Dhcp4;
/** The message readKeaConfigFile gives for `text` in a fresh file, with the file name as `F`. */
function refusal(text: string): string {
  const path = fresh(text);
  try {
    readKeaConfigFile(path, { cwd: dir });
  } catch (err) {
    return (err as Error).message.replace(path, 'F');
  }
  return 'accepted';
}

describe('readKeaConfigFile: the real Kea example', () => {
  it('reads ha-load-balancing-primary.json (with its comments) into its Dhcp4 map', () => {
    const r = readKeaConfigFile(FIXTURE);
    assert.deepEqual(r.files, [FIXTURE]);
    const hooks = r.Dhcp4['hooks-libraries'] as { library: string; parameters: Record<string, unknown> }[];
    assert.equal(hooks.length, 2);
    assert.equal(hooks[1]!.library, '/opt/lib/kea/hooks/libdhcp_ha.so');
    const ha = (hooks[1]!.parameters['high-availability'] as Record<string, unknown>[])[0]!;
    assert.equal(ha['this-server-name'], 'server1');
    assert.equal(ha.mode, 'load-balancing');
    assert.equal(ha['heartbeat-delay'], 10000);
    assert.deepEqual(
      (ha.peers as Record<string, unknown>[]).map((p) => [p.name, p.url, p.role]),
      [
        ['server1', 'http://192.168.56.33:8000/', 'primary'],
        ['server2', 'http://192.168.56.66:8000/', 'secondary'],
      ],
    );
    // A quote inside a string survives: the client-class test expression.
    const classes = r.Dhcp4['client-classes'] as { test: string }[];
    assert.equal(classes[0]!.test, "substring(option[60].hex,0,6) == 'Aastra'");
    assert.equal((r.Dhcp4.loggers as unknown[]).length, 2);
  });
});

describe('readKeaConfigFile: Kea JSON', () => {
  it('drops #, // and /* */ comments but keeps them inside strings', () => {
    const d = read('# head\n{ // a\n"Dhcp4": { /* x\n y */ "a": "x#y//z/*w*/", # b\n"b": 1 } }\n// tail');
    assert.deepEqual(d, { a: 'x#y//z/*w*/', b: 1 });
  });
  it('tolerates extra commas after the first entry, as Kea does (with a warning)', () => {
    assert.deepEqual(read('{"Dhcp4": {"a": [1,,2,], "b": {"c": 1,},,},}'), { a: [1, 2], b: { c: 1 } });
  });
  it('reads numbers as Kea does: integers, floats like .5, 1. and +1', () => {
    assert.deepEqual(
      read('{"Dhcp4": {"a": [-5, 0, 01, 1.5e3, .5, 1., +1, -.5e2, 9223372036854775807]}}').a,
      [
        // biome-ignore lint/correctness/noPrecisionLoss: the test is that a 64-bit integer reads as JSON.parse reads it
        -5, 0, 1, 1500, 0.5, 1, 1, -50, 9223372036854775807,
      ],
    );
  });
  it('decodes escapes, \\u00XX as one byte, and raw UTF-8', () => {
    assert.deepEqual(read('{"Dhcp4": {"a": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041", "b": "Łódź"}}'), { a: '"\\/\b\f\n\r\tA', b: 'Łódź' });
  });
  it('decodes escapes between raw UTF-8, at either end, and \\u00XX bytes that make UTF-8 together', () => {
    assert.deepEqual(read('{"Dhcp4": {"a": "\\nŁ\\u0041ódź\\t", "b": "\\u00c5\\u0081", "c": "", "d": "plain"}}'), {
      a: '\nŁAódź\t',
      b: 'Ł',
      c: '',
      d: 'plain',
    });
  });
  it('reads a 4 MB string whole', () => {
    const long = 'x'.repeat(4 << 20);
    assert.equal(read(`{"Dhcp4": {"comment": "${long}"}}`)['comment'], long);
  });
  it('reads password and secret values as "" (the keys stay), but keeps -file paths', () => {
    const d = read(
      '{"Dhcp4": {"lease-database": {"password": "pw1"}, "x": [{"basic-auth-password": "pw2", "basic-auth-password-file": "/etc/pw", "secret": "pw3", "Secret-Key": 5}]}}',
    );
    assert.deepEqual(d, {
      'lease-database': { password: '' },
      x: [{ 'basic-auth-password': '', 'basic-auth-password-file': '/etc/pw', secret: '', 'Secret-Key': 5 }],
    });
  });
  it('keeps a key named __proto__ as data', () => {
    const d = read('{"Dhcp4": {"__proto__": {"x": 1}}}');
    assert.equal(Object.getPrototypeOf(d), Object.prototype);
    assert.deepEqual(Object.keys(d), ['__proto__']);
  });
});

describe('readKeaConfigFile: refusals name the file, line and column', () => {
  const rows: [string, string, string][] = [
    ['a stray brace', '{"Dhcp4": {\n  "a": 1 }\n}}', "F line 3 column 2: unexpected '}' (expected end of file)"],
    ['a missing comma', '{"Dhcp4": {"a": 1\n "b": 2}}', "F line 2 column 2: unexpected string (expected ',' or '}')"],
    ['an empty file', '', "F line 1 column 1: unexpected end of file (expected '{')"],
    ['only comments', '// nothing\n', "F line 2 column 1: unexpected end of file (expected '{')"],
    ['a leading comma', '{"Dhcp4": {"a": [,1]}}', "F line 1 column 18: unexpected ',' (expected a value)"],
    ['an unclosed comment', '{"Dhcp4": {"a": 1}}\n/* x\n', 'F line 2 column 1: comment not closed (/* in line 2)'],
    ['a duplicate key', '{"Dhcp4": {"a": 1,\n"a": 2}}', 'F line 2 column 1: duplicate key (first at line 1 column 12)'],
    ['True', '{"Dhcp4": {"a": True}}', 'F line 1 column 17: true, false and null are lower case only'],
    ['a single-quoted string', "{'Dhcp4': {}}", 'F line 1 column 2: invalid character: strings take double quotes'],
    ['a bare word', '{"Dhcp4": {"a": yes}}', 'F line 1 column 17: invalid character'],
    ['a bad escape', '{"Dhcp4": {"a": "x\\qy"}}', 'F line 1 column 19: bad escape in a string'],
    ['a wide unicode escape', '{"Dhcp4": {"a": "\\u0141"}}', 'F line 1 column 18: unsupported unicode escape (Kea takes \\u0000 to \\u00ff only)'],
    ['a tab in a string', '{"Dhcp4": {"a": "x\ty"}}', 'F line 1 column 19: control character in a string'],
    ['a string across lines', '{"Dhcp4": {"a": "x\ny"}}', 'F line 1 column 19: string not closed on its line'],
    ['an unclosed string', '{"Dhcp4": {"a": "x', 'F line 1 column 17: string not closed'],
    ['a huge integer', '{"Dhcp4": {"a": 9223372036854775808}}', 'F line 1 column 17: integer out of range (Kea takes 64-bit signed integers)'],
    ['a lone dot', '{"Dhcp4": {"a": .}}', 'F line 1 column 17: not a number'],
    ['a float too large', '{"Dhcp4": {"a": 1.5e400}}', 'F line 1 column 17: not a number'],
    ['a BOM', '\ufeff{"Dhcp4": {"a": 1}}', 'F line 1 column 1: invalid character'],
    ['text after the map', '{"Dhcp4": {"a": 1}} {}', "F line 1 column 21: unexpected '{' (expected end of file)"],
    ['an empty Dhcp4', '{"Dhcp4": {}}', 'F line 1 column 11: Dhcp4 is empty (kea-dhcp4 needs at least one parameter in it)'],
    ['Dhcp4 not a map', '{"Dhcp4": []}', "F line 1 column 11: unexpected '[' (expected '{': Dhcp4 is a map)"],
    ['an empty top level', '{}', 'F line 1 column 1: no "Dhcp4" at the top level: not a kea-dhcp4 configuration'],
    ['a Dhcp6 file', '{"Dhcp6": {"a": 1}}', 'F line 1 column 2: the top level holds "Dhcp6", not "Dhcp4": a kea-dhcp6 configuration, not a kea-dhcp4 one'],
    [
      'a Control Agent file',
      '{ "Control-agent": {"http-port": 8000} }',
      'F line 1 column 3: the top level holds "Control-agent", not "Dhcp4": a Kea Control Agent configuration, not a kea-dhcp4 one',
    ],
    ['an unknown top-level key', '{"Logging": {}}', 'F line 1 column 2: the top level must hold "Dhcp4" only (kea-dhcp4 refuses any other key there)'],
    [
      'Dhcp4 with Control-agent',
      '{"Dhcp4": {"a": 1},\n "Control-agent": {}}',
      'F line 2 column 2: "Control-agent" next to Dhcp4: kea-dhcp4 allows only Dhcp4 at the top level',
    ],
    ['a list at the top', '[1]', "F line 1 column 1: unexpected '[' (expected '{')"],
    ['an unknown directive', '{"Dhcp4": {<?php "x"?> "a": 1}}', `F line 1 column 14: unknown directive (only '<?include "file"?>' exists)`],
    ['an include without a name', '{"Dhcp4": {<?include ""?> "a": 1}}', 'F line 1 column 22: include directive without a "file" name'],
  ];
  for (const [name, text, message] of rows) {
    it(name, () => assert.equal(refusal(text), `kea-config: ${message}`));
  }

  it('never quotes the text of the line (a password may be on it)', () => {
    const secrets = [
      '{"Dhcp4": {"basic-auth-password": s3cretPW}}',
      '{"Dhcp4": {"basic-auth-password": "s3cretPW\\q"}}',
      '{"Dhcp4": {"basic-auth-password": "s3cretPW\u0001"}}',
      '{"Dhcp4": {"basic-auth-password": "s3cretPW" "s3cretPW": 1}}',
      '{"Dhcp4": {"basic-auth-password": \'s3cretPW\'}}',
      '{"Dhcp4": {"s3cretPW": 1, "s3cretPW": 2}}',
    ];
    for (const text of secrets) {
      const message = refusal(text);
      assert.notEqual(message, 'accepted', text);
      assert.ok(!message.includes('s3cret'), `${text} -> ${message}`);
      assert.ok(!message.includes('\n'), message);
    }
  });

  it('caps a file at 16 MiB', () => {
    const path = fresh('');
    truncateSync(path, 16 * 1024 * 1024 + 1);
    throwsInput(() => readKeaConfigFile(path), `kea-config: ${path}: 16777217 bytes is larger than the 16777216 bytes limit`);
  });

  it('names a missing file', () => {
    throwsInput(() => readKeaConfigFile(join(dir, 'nope.json')), `kea-config: ${join(dir, 'nope.json')}: no such file`);
  });
});

describe('readKeaConfigFile: <?include?>', () => {
  it('splices an included fragment in, anywhere between tokens, with blanks inside the directive', () => {
    const root = join(dir, 'inc1');
    write('subnets.json', '"subnet4": [ <?include "pool.json"?> ],', root);
    write('pool.json', '{"id": 1, "subnet": "10.0.0.0/24"}', root);
    const main = write('main.json', '{"Dhcp4": { <?include "subnets.json"?>\n  "a": <?\n include  "one.json" ?> }}', root);
    write('one.json', '1 // a comment at the end of the included file', root);
    const r = readKeaConfigFile(main, { cwd: root });
    assert.deepEqual(r.Dhcp4, { subnet4: [{ id: 1, subnet: '10.0.0.0/24' }], a: 1 });
    assert.deepEqual(r.files, [main, join(root, 'subnets.json'), join(root, 'pool.json'), join(root, 'one.json')]);
  });

  it("opens a relative include from the directory Kea was started in, not the including file's", () => {
    const root = join(dir, 'inc2');
    const sub = join(root, 'sub');
    const main = write('main.json', '{"Dhcp4": { <?include "frag.json"?> }}', sub);
    write('frag.json', '"where": "sub"', sub);
    write('frag.json', '"where": "cwd"', root);
    assert.deepEqual(readKeaConfigFile(main, { cwd: root }).Dhcp4, { where: 'cwd' });
    assert.deepEqual(readKeaConfigFile(main, { cwd: sub }).Dhcp4, { where: 'sub' });
  });

  it('names the including file and line when an include is missing', () => {
    const root = join(dir, 'inc3');
    const main = write('main.json', '{"Dhcp4": {\n  "a": 1, <?include "gone.json"?> }}', root);
    throwsInput(() => readKeaConfigFile(main, { cwd: root }), `kea-config: ${main} line 2 column 11: include file gone.json: no such file`);
  });

  it('names the included file for an error inside it', () => {
    const root = join(dir, 'inc4');
    const main = write('main.json', '{"Dhcp4": { <?include "bad.json"?> }}', root);
    write('bad.json', '"a": 1,\n"b": }', root);
    throwsInput(() => readKeaConfigFile(main, { cwd: root }), "kea-config: bad.json line 2 column 6: unexpected '}' (expected a value)");
  });

  it('refuses an include loop, naming the chain', () => {
    const root = join(dir, 'inc5');
    const main = write('main.json', '{"Dhcp4": { <?include "a.json"?> }}', root);
    write('a.json', '<?include "b.json"?>', root);
    write('b.json', '"x": 1, <?include "a.json"?>', root);
    throwsInput(() => readKeaConfigFile(main, { cwd: root }), 'kea-config: b.json line 1 column 9: include loop: a.json -> b.json -> a.json');
  });

  it(`allows ${MAX_INCLUDE_DEPTH} nested includes, as Kea does, and refuses one more`, () => {
    const chain = (root: string, depth: number): string => {
      for (let i = 1; i <= depth; i++) write(`f${i}.json`, i === depth ? '"deep": true' : `<?include "f${i + 1}.json"?>`, root);
      return write('main.json', '{"Dhcp4": { <?include "f1.json"?> }}', root);
    };
    const ok = join(dir, 'deep-ok');
    assert.deepEqual(readKeaConfigFile(chain(ok, MAX_INCLUDE_DEPTH), { cwd: ok }).Dhcp4, { deep: true });
    const bad = join(dir, 'deep-bad');
    const main = chain(bad, MAX_INCLUDE_DEPTH + 1);
    throwsInput(
      () => readKeaConfigFile(main, { cwd: bad }),
      `kea-config: f${MAX_INCLUDE_DEPTH}.json line 1 column 1: too many nested includes (Kea opens at most ${MAX_INCLUDE_DEPTH} deep)`,
    );
  });

  it("wants the directive's '?>' right after the included file", () => {
    const root = join(dir, 'inc6');
    const main = write('main.json', '{"Dhcp4": { <?include "one.json" "a": 2 }}', root);
    write('one.json', '"b": 1,', root);
    throwsInput(() => readKeaConfigFile(main, { cwd: root }), `kea-config: ${main} line 1 column 34: include directive not closed (expected '?>')`);
  });
});
