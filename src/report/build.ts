import { STATUSES, type Status } from '../checks/ids.js';
import type { PartnerAddress } from '../context.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import type { PairingPlan } from '../plan.js';
import { describeSource } from '../sources/kinds.js';
import { isoTime } from '../util/iso-time.js';
import { packageInfo as toolInfo } from '../util/package-info.js';
import { REPORT_SCHEMA_VERSION, type CheckResult, type PairingResult, type Report, type RunReport, type RunSummary } from './types.js';

export { toolInfo };

const zeroCounts = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** One pairing's report from its check results. */
export function buildReport(
  plan: PairingPlan,
  partner: PartnerAddress | undefined,
  checks: CheckResult[],
  startedAt: Date,
  exitOverride?: number,
  phase: Report['phase'] = 'live',
): Report {
  const summary = zeroCounts();
  for (const c of checks) summary[c.status]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: toolInfo(),
    partner: { input: plan.partner, address: partner?.address ?? null },
    local: { input: plan.local ?? null, source: plan.localSource ? describeSource(plan.localSource) : null },
    startedAt: isoTime(startedAt),
    durationMs: Date.now() - startedAt.getTime(),
    phase,
    checks,
    summary,
    exitCode: exitOverride ?? exitCodeFor(checks.map((c) => c.status)),
  };
}

/** The run's tree: every pairing's checks counted, the exit code the worst pairing's. */
export function buildRunReport(plan: string | null, pairings: PairingResult[], startedAt: Date, exitOverride?: number): RunReport {
  const checks = zeroCounts();
  const statuses: Status[] = [];
  const summary: RunSummary = { pairings: { total: pairings.length, ok: 0, failed: 0, unknown: 0 }, checks };
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
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: toolInfo(),
    plan,
    startedAt: isoTime(startedAt),
    durationMs: Date.now() - startedAt.getTime(),
    pairings,
    summary,
    exitCode: exitOverride ?? exitCodeFor(statuses),
  };
}
