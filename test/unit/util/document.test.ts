import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { parseDocument } from '../../../src/util/document.js';
import { InputError } from '../../../src/util/errors.js';

const schema = z.strictObject({ timeout: z.union([z.string(), z.number().positive()]).optional(), count: z.number().optional() });

async function refusal(text: string): Promise<string> {
  try {
    await parseDocument('f.yaml', text, schema);
  } catch (err) {
    assert.ok(err instanceof InputError);
    return err.message;
  }
  return 'accepted';
}

describe('parseDocument: numbers that are not finite are said as written', () => {
  it('1e400, -1e400, .inf and .nan: "must be a finite number of seconds (got …)", never "got null"', async () => {
    assert.equal(await refusal('timeout: 1e400\n'), 'f.yaml: timeout: must be a finite number of seconds (got 1e400)');
    assert.equal(await refusal('{"timeout": -1e400}'), 'f.yaml: timeout: must be a finite number of seconds (got -1e400)');
    assert.equal(await refusal('timeout: .inf\n'), 'f.yaml: timeout: must be a finite number of seconds (got .inf)');
    assert.equal(await refusal('timeout: .NaN\n'), 'f.yaml: timeout: must be a finite number of seconds (got .NaN)');
    assert.equal(await refusal('count: 1e999\n'), 'f.yaml: count: must be a finite number (got 1e999)');
  });
});

describe('parseDocument: JSON text through JSON.parse, YAML bounded (issue 23 item 4)', () => {
  const any = z.unknown();
  const parsed = async (text: string, maxYamlBytes?: number): Promise<unknown> =>
    parseDocument('f.json', text, any, maxYamlBytes === undefined ? {} : { maxYamlBytes }).catch((err: unknown) => {
      assert.ok(err instanceof InputError);
      return `refused: ${err.message}`;
    });

  it('the same values as yaml gives for JSON text, escapes, nesting and numbers included', async () => {
    const { parse } = await import('yaml');
    for (const text of [
      '{"a":1,"b":[1,2.5,-3e2,true,false,null],"c":{"d":"x\\u0041\\n\\"y"},"__proto__":{"e":1}}',
      '[{"x":1},{"x":2}]',
      '  \n{"k": "v", "n": {"k": "w"}}\n',
      '{"big": 12345678901234567890, "tiny": 1e-400}',
    ]) {
      assert.deepEqual(await parsed(text), parse(text, { uniqueKeys: true }), text);
    }
  });

  it('refuses a duplicate key in one object as yaml does, also when written with escapes; the same key in two objects is fine', async () => {
    assert.match(
      String(await parsed('{"a":1,\n"b":{"a":2},\n"a":3}')),
      /^refused: f\.json: not valid JSON or YAML \(Map keys must be unique at line 3: "a"\)$/,
    );
    assert.match(String(await parsed('{"a\\u0062":1,"ab":2}')), /Map keys must be unique at line 1: "ab"/);
    assert.deepEqual(await parsed('{"s":"{\\"a\\":1,\\"a\\":2}","t":["a","a"],"u":[{"a":1},{"a":2}]}'), {
      s: '{"a":1,"a":2}',
      t: ['a', 'a'],
      u: [{ a: 1 }, { a: 2 }],
    });
  });

  it('bounds JSON nesting as before (one pass over the text)', async () => {
    const deep = `{"a":\n${'['.repeat(300)}${']'.repeat(300)}}`;
    assert.match(String(await parsed(deep)), /^refused: f\.json: nested deeper than 256 levels at line 2/);
    const ok = `${'['.repeat(254)}${']'.repeat(254)}`;
    assert.ok(Array.isArray(await parsed(ok)));
  });

  it('a YAML text over maxYamlBytes is refused with the advice to write JSON; the same data as JSON is read', async () => {
    const servers = Array.from({ length: 40_000 }, (_, i) => `s${i}: {address: 10.0.${(i >> 8) & 255}.${i & 255}}`).join('\n');
    assert.match(
      String(await parsed(servers, 1024 * 1024)),
      /^refused: f\.json: a YAML document of 1\.\d MiB is more than the 1\.0 MiB read as YAML \(write it as JSON/,
    );
    const json = JSON.stringify(Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`s${i}`, { address: `10.0.${(i >> 8) & 255}.${i & 255}` }])));
    const started = performance.now();
    const value = (await parsed(json, 1024 * 1024)) as Record<string, unknown>;
    assert.equal(Object.keys(value).length, 200_000);
    assert.ok(performance.now() - started < 10_000, 'linear: 200 000 keys in well under 10 s');
    assert.match(
      String(await parsed(`${json.slice(0, -1)},}`, 1024 * 1024)),
      /^refused: f\.json: not valid JSON \(.*\), and at \d+(\.\d)? MiB more than the 1(\.0)? MiB read as YAML$/,
    );
  });
});
