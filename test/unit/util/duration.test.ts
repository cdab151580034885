import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/util/duration.js';
import { throwsInputNaming as throwsInput } from '../../helpers/input-error.js';

describe('parseDuration', () => {
  it('parses seconds, minutes, fractions and milliseconds', () => {
    assert.equal(parseDuration('60s', '--x'), 60_000);
    assert.equal(parseDuration('1m', '--x'), 60_000);
    assert.equal(parseDuration('1.5m', '--x'), 90_000);
    assert.equal(parseDuration('500ms', '--x'), 500);
    assert.equal(parseDuration('2h', '--x'), 7_200_000);
    assert.equal(parseDuration('5', '--x'), 5000);
  });
  it('rejects negative durations, naming the value and option', () => {
    throwsInput(() => parseDuration('-1s', '--timeout'), '--timeout', '"-1s"');
  });
  it('rejects unknown units', () => {
    throwsInput(() => parseDuration('1 fortnight', '--max-time-skew'), '--max-time-skew', '"1 fortnight"');
  });
  it('rejects zero', () => {
    throwsInput(() => parseDuration('0s', '--timeout'), '--timeout', '"0s"');
    throwsInput(() => parseDuration('0', '--timeout'), '"0"');
  });
  it('rejects empty and garbage', () => {
    for (const bad of ['', 's', '1e3s', '1.s', 'NaN']) throwsInput(() => parseDuration(bad, '--timeout'), `"${bad}"`);
  });
});
