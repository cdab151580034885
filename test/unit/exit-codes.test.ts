import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Status } from '../../src/checks/ids.js';
import { EXIT, exitCodeFor } from '../../src/exit-codes.js';

describe('exitCodeFor', () => {
  const cases: [Status[], number][] = [
    [['pass', 'fail', 'unknown'], 1],
    [['fail'], 1],
    [['unknown', 'skip', 'pass'], 3],
    [['unknown'], 3],
    [['pass', 'warn', 'skip'], 0],
    [['pass'], 0],
    [['warn'], 0],
    [[], 0],
  ];
  for (const [statuses, code] of cases) it(`${statuses.join(',') || '(none)'} -> ${code}`, () => assert.equal(exitCodeFor(statuses), code));
  it('uses the documented table', () => {
    assert.deepEqual([EXIT.ok, EXIT.failed, EXIT.usage, EXIT.unknown], [0, 1, 2, 3]);
  });
});
