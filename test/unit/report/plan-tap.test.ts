import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { tap } from '../../../src/report/tap.js';
const planTapReporter = tap.render;
import { renderOne } from '../../helpers/report-fixture.js';
const tapReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('tap', r, o);
import { PAIRINGS } from '../../helpers/plan-report.js';

const plain = { color: false, verbose: false };

describe('planTapReporter', () => {
  it('TAP 14: one test point per pairing after its subtest, the single-pair TAP indented four spaces', async () => {
    const tap = await planTapReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain);
    const lines = tap.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['TAP version 14', '1..2', '# Subtest: hub -> branch1']);
    const single = tapReporter(PAIRINGS[1]!.report, plain).trimEnd().split('\n').slice(1).map((l) => `    ${l}`).join('\n');
    assert.ok(tap.includes(`# Subtest: hub -> branch\\#2\n${single}\nnot ok 2 - hub -> branch\\#2\n`), tap);
    assert.ok(tap.includes('\nok 1 - hub -> branch1\n'));
    assert.match(tap, /\n# plan: 2 pairings: 1 ok, 1 failed, .* — exit code 1\n$/);
    assert.equal(lines.filter((l) => l.startsWith('TAP version')).length, 1);
  });
});
