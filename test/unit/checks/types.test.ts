import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { outcomes } from '../../../src/checks/types.js';

describe('outcomes', () => {
  it('an outcome constructor gives status, the check-prefixed code and message', () => {
    const o = outcomes('time', { 'skew-exceeded': 'fail', 'in-sync': 'pass' });
    assert.deepEqual(o.fail('skew-exceeded', 'x'), { status: 'fail', code: 'time.skew-exceeded', message: 'x', details: {} });
    assert.deepEqual(o.codes, { 'skew-exceeded': 'fail', 'in-sync': 'pass' });
  });
});
