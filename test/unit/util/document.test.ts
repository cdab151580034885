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
