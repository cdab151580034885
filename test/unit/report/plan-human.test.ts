import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { human } from '../../../src/report/human.js';
const planHumanReporter = human.render;
import { renderOne } from '../../helpers/report-fixture.js';
const humanReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('human', r, o);
import { FULL, PAIRINGS } from '../../helpers/plan-report.js';

const plain = { color: false, verbose: false };

describe('planHumanReporter', () => {
  it('grouped by pairing, each exactly its single-pair report, then the plan line', async () => {
    const text = await planHumanReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain);
    assert.ok(text.startsWith('dhcp-failover-check 0.1.0 — plan fleet.yaml: 2 pairings\n\n━━ pairing 1/2: hub -> branch1 ━━\n'));
    for (const p of PAIRINGS) assert.ok(text.includes(humanReporter(p.report, plain).trimEnd()));
    assert.ok(text.indexOf('pairing 1/2') < text.indexOf('pairing 2/2'));
    assert.ok(text.includes(FULL));
    assert.match(text, /\nplan: 2 pairings: 1 ok, 1 failed, 0 undetermined .* — exit code 1\n$/);
  });

  it('colour only when asked', async () => {
    const report = buildPlanReport('fleet.yaml', PAIRINGS, new Date());
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(await planHumanReporter(report, plain), /\x1b\[/);
    // eslint-disable-next-line no-control-regex
    assert.match(await planHumanReporter(report, { color: true, verbose: false }), /\x1b\[/);
  });
});
