import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reportError } from '../../src/cli.js';
import { EXIT } from '../../src/exit-codes.js';

describe('reportError', () => {
  const capture = (err: unknown, input: boolean, debug: boolean) => {
    let out = '';
    const code = reportError(err, input, (t) => (out += t), debug);
    return { code, out };
  };
  it('a user mistake: exit 2, one line naming it', () => {
    const r = capture(new Error('--timeout: "5x" is not a duration'), true, false);
    assert.equal(r.code, EXIT.usage);
    assert.equal(r.out, 'dhcp-failover-check: --timeout: "5x" is not a duration\n');
  });
  it('a bug: exit 4 (not 3), one line, no stack unless DEBUG', () => {
    const err = new TypeError('cannot read properties of undefined\n  (reading x)');
    const r = capture(err, false, false);
    assert.equal(r.code, 4);
    assert.equal(r.code, EXIT.internal);
    assert.equal(r.out, 'dhcp-failover-check: internal error: cannot read properties of undefined (reading x)\n');
    const d = capture(err, false, true);
    assert.match(d.out, /^dhcp-failover-check: internal error: .*\nTypeError: cannot read/s);
  });
});
