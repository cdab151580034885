import { STATUSES } from '../checks/ids.js';
import { jsonReporter, toJsonValue } from './json.js';
import type { PlanReporter } from './plan-types.js';
import type { ReporterOptions } from './types.js';

/**
 * The plan's JSON: each pairing's `checks` and `summary` are taken from the single-pair JSON
 * reporter's own output, so they are exactly what `dhcp-failover-check <partner>` prints.
 */
export const planJsonReporter: PlanReporter = (report, options: ReporterOptions) => {
  const pairings = report.pairings.map((p) => {
    const single = JSON.parse(jsonReporter(p.report, options)) as { checks: unknown; summary: unknown; durationMs: number; partner: { address: string | null } };
    return {
      local: { name: p.local.name, address: p.local.address, source: p.report.local.source },
      partner: { name: p.partner.name, address: p.partner.address, resolved: single.partner.address },
      durationMs: single.durationMs,
      checks: single.checks,
      summary: single.summary,
      exitCode: p.report.exitCode,
    };
  });
  const doc = {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    plan: report.plan,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    pairings,
    summary: {
      pairings: report.summary.pairings,
      checks: Object.fromEntries(STATUSES.map((s) => [s, report.summary.checks[s]])),
    },
    exitCode: report.exitCode,
  };
  return `${JSON.stringify(toJsonValue(doc), null, 2)}\n`;
};
