import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunReport as buildPlanReport } from '../../../src/report/build.js';
import { json } from '../../../src/report/json.js';
const planJsonReporter = json.render;
import { PlanReportSchema } from '../../../src/report/schema.js';
import { renderOne } from '../../helpers/report-fixture.js';
const jsonReporter = (r: Parameters<typeof renderOne>[1], o: Parameters<typeof renderOne>[2]) => renderOne('json', r, o);
import { PAIRINGS } from '../../helpers/plan-report.js';

const plain = { color: false, verbose: false };

describe('planJsonReporter', () => {
  it("matches the published schema; each pairing's checks are exactly the single-pair JSON's", async () => {
    const doc = JSON.parse(await planJsonReporter(buildPlanReport('fleet.yaml', PAIRINGS, new Date()), plain)) as Record<string, unknown>;
    const r = PlanReportSchema.parse(doc);
    assert.deepEqual(Object.keys(doc), ['schemaVersion', 'tool', 'plan', 'startedAt', 'durationMs', 'pairings', 'summary', 'exitCode']);
    assert.equal(r.plan, 'fleet.yaml');
    assert.deepEqual(r.pairings.map((p) => [p.local.name, p.partner.name, p.exitCode]), [['hub', 'branch1', 0], ['hub', 'branch#2', 1]]);
    for (const [i, p] of r.pairings.entries()) {
      const single = JSON.parse(jsonReporter(PAIRINGS[i]!.report, plain)) as { checks: unknown; summary: unknown };
      assert.deepEqual(p.checks, single.checks);
      assert.deepEqual(p.summary, single.summary);
    }
    assert.equal(r.pairings[1]!.local.source, 'inventory:/plans/hub.yaml');
    assert.equal(r.exitCode, 1);
  });
});
