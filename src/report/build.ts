import { STATUSES, type Status } from '../checks/ids.js';
import type { PartnerAddress } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import type { Plan } from '../plan.js';
import { describeSource } from '../sources/kinds.js';
import { REPORT_SCHEMA_VERSION, type CheckResult, type Report } from './types.js';

import { packageInfo as toolInfo } from '../util/package-info.js';

export { toolInfo };

export function buildReport(plan: Plan, partner: PartnerAddress | undefined, checks: CheckResult[], startedAt: Date, exitOverride?: number): Report {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: toolInfo(),
    partner: { input: plan.partner, address: partner?.address ?? null },
    local: { input: plan.local ?? null, source: plan.localSource ? describeSource(plan.localSource) : null },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    checks,
    summary,
    exitCode: exitOverride ?? exitCodeFor(checks.map((c) => c.status)),
  };
}
