import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTime } from '../../../src/util/iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes, for every kind of instant', () => {
    const fixed = [
      0, 1, 999, 1000, -1, 951_782_400_000 /* 2000-02-29 */, 253_402_300_799_999 /* 9999-12-31T23:59:59.999 */, -62_167_219_200_000 /* 0000-01-01 */,
    ];
    // A fixed generator: the same instants each run, spread over years 0 to 9999.
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const spread = Array.from({ length: 5000 }, () => Math.floor(-62_167_219_200_000 + next() * (253_402_300_799_999 + 62_167_219_200_000)));
    for (const ms of [...fixed, ...spread, Date.now()]) {
      const date = new Date(ms);
      assert.equal(isoTime(date), date.toISOString(), `at ${ms}`);
    }
  });

  it('leaves six-digit years to toISOString, and throws its RangeError for an invalid date', () => {
    for (const ms of [253_402_300_800_000, -62_167_219_200_001, 8.64e15, -8.64e15]) assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString());
    assert.throws(() => isoTime(new Date(Number.NaN)), RangeError);
  });
});
