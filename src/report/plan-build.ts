import { STATUSES, type Status } from '../checks/ids.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { toolInfo } from './build.js';
import type { PlanPairingResult, PlanReport, PlanSummary } from './plan-types.js';

/** The batch's verdict: every pairing's checks counted, the exit code the worst pairing's. */
export function buildPlanReport(plan: string, pairings: PlanPairingResult[], startedAt: Date, exitOverride?: number): PlanReport {
  const checks = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const statuses: Status[] = [];
  const summary: PlanSummary = { pairings: { total: pairings.length, ok: 0, failed: 0, unknown: 0 }, checks };
  for (const { report } of pairings) {
    for (const c of report.checks) {
      checks[c.status]++;
      statuses.push(c.status);
    }
    if (report.exitCode === EXIT.failed) summary.pairings.failed++;
    else if (report.exitCode === EXIT.ok) summary.pairings.ok++;
    else summary.pairings.unknown++;
  }
  return {
    schemaVersion: 1,
    tool: toolInfo(),
    plan,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    pairings,
    summary,
    exitCode: exitOverride ?? exitCodeFor(statuses),
  };
}

export function planSummaryLine(report: PlanReport): string {
  const p = report.summary.pairings;
  const c = report.summary.checks;
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  return (
    `${n(p.total, 'pairing')}: ${p.ok} ok, ${p.failed} failed, ${p.unknown} undetermined ` +
    `(checks: ${c.pass} passed, ${n(c.warn, 'warning')}, ${c.fail} failed, ${c.skip} skipped, ${c.unknown} unknown) — exit code ${report.exitCode}`
  );
}
