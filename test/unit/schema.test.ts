import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { jsonSchemaOf } from '../../src/schema.js';

// The JSON Schemas shipped under examples/ are written by the build (scripts/schemas.mjs) from
// the code; a copy edited by hand, or a build that was skipped, fails here.

const shipped = (file: string) => readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8');

describe('published schemas', () => {
  for (const [document, file] of [
    ['config', 'config.schema.json'],
    ['plan', 'plan.schema.json'],
  ] as const) {
    it(`examples/${file} is exactly \`schema ${document}\``, () => {
      assert.equal(shipped(file), jsonSchemaOf(document));
    });
  }
  it('the config schema knows every key of the shipped config example', () => {
    const schema = JSON.parse(jsonSchemaOf('config')) as { properties: Record<string, unknown> };
    const example = JSON.parse(shipped('config.json')) as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(example).filter((k) => !(k in schema.properties)),
      [],
    );
  });
});
