import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { runSummaryLine as planSummaryLine } from '../../../src/report/text.js';
import { PAIRINGS } from '../../helpers/plan-report.js';

describe('buildPlanReport', () => {
  it("counts every pairing's checks; the exit code is the worst pairing's", () => {
    const r = buildPlanReport('fleet.yaml', PAIRINGS, new Date());
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.summary.pairings, { total: 2, ok: 1, failed: 1, unknown: 0 });
    assert.deepEqual(r.summary.checks, { pass: 4, warn: 0, fail: 1, skip: 0, unknown: 1 });
    assert.equal(buildPlanReport('f', [PAIRINGS[0]!], new Date()).exitCode, 0);
    const undecided = {
      ...PAIRINGS[1]!,
      report: { ...PAIRINGS[1]!.report, exitCode: 3, checks: PAIRINGS[1]!.report.checks.filter((c) => c.status !== 'fail') },
    };
    assert.equal(buildPlanReport('f', [PAIRINGS[0]!, undecided], new Date()).exitCode, 3);
    assert.equal(buildPlanReport('f', PAIRINGS, new Date(), 130).exitCode, 130, 'an interruption overrides');
  });

  it('one summary line for the plan', () => {
    assert.equal(
      planSummaryLine(buildPlanReport('f', PAIRINGS, new Date())),
      '2 pairings: 1 ok, 1 failed, 0 undetermined (checks: 4 passed, 0 warnings, 1 failed, 0 skipped, 1 unknown) — exit code 1',
    );
  });
});
