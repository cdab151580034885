import { STATUSES, type Status } from '../../src/checks/ids.js';
import type { Format } from '../../src/plan.js';
import { buildRunReport } from '../../src/report/build.js';
import { github } from '../../src/report/github.js';
import { human } from '../../src/report/human.js';
import { json } from '../../src/report/json.js';
import { junit } from '../../src/report/junit.js';
import { markdown } from '../../src/report/markdown.js';
import { nagios } from '../../src/report/nagios.js';
import { tap } from '../../src/report/tap.js';
import type { CheckResult, Report, ReporterOptions, RunReport } from '../../src/report/types.js';

// A small report for reporter unit tests: one result per status, with the details the time and
// relationships checks really give (the nagios perfdata reads them).

export function result(id: CheckResult['id'], status: Status, message: string, extra: Partial<CheckResult> = {}): CheckResult {
  return { id, title: `title of ${id}`, status, code: `${id}.test-${status}`, message, details: {}, durationMs: 1, ...extra };
}

export function report(checks: CheckResult[], exitCode?: number): Report {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return {
    schemaVersion: 1,
    tool: { name: 'dhcp-failover-check', version: '9.9.9' },
    partner: { input: 'dhcp2.lab.test', address: '192.0.2.2' },
    local: { input: null, source: null },
    startedAt: '2026-01-01T00:00:00.000Z',
    phase: 'live',
    durationMs: 1234,
    checks,
    summary,
    exitCode: exitCode ?? (summary.fail > 0 ? 1 : summary.unknown > 0 ? 3 : 0),
  };
}

export const TIME_DETAILS = { differenceMs: -12_345.6, errorBoundMs: 2, limitSeconds: 60, limitFrom: 'platform', measuredBy: 'ntp' };
export const RELATIONSHIP_DETAILS = {
  local: { count: 3, maximum: 31, why: 'Windows', names: ['a', 'b', 'c'] },
  partner: { count: 0, maximum: null, why: 'Kea 2.6+', names: [] },
};

/** A single run's report tree: one pairing, no plan file. */
export function tree(single: Report): RunReport {
  return buildRunReport(
    null,
    [{ local: { name: 'this machine', address: '' }, partner: { name: single.partner.input, address: single.partner.input }, report: single }],
    new Date(single.startedAt),
    single.exitCode,
  );
}

/** Renders one single-pair report in a format, as a single run would. */
export function renderOne(format: Format, single: Report, options: ReporterOptions): string {
  return FORMATS[format].render(tree(single), options);
}

const FORMATS = { human, json, junit, tap, markdown, nagios, github };
// What render() in report/index.ts does before rendering (human loads chalk for colour there).
for (const f of Object.values(FORMATS)) await f.prepare?.({ color: true, verbose: false });
