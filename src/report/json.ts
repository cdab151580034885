import { STATUSES } from '../checks/ids.js';
import { singlePairing, type CheckResult, type PairingResult, type Report, type ReportFormat, type RunReport } from './types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The versioned machine-readable report: the single-pair document (`schema report`) for a single
 * run, the plan document (`schema plan-report`) for a plan. Keys are emitted in a fixed order so
 * that two runs diff cleanly, and colour options are ignored: this output is for programs.
 */
export const json: ReportFormat = {
  // JSON.stringify leaves DEL, the C1 controls and U+2028/9 raw: escaped too (the same value).
  render: (report) =>
    `${JSON.stringify(toJsonValue(document(report)), null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
};

/** The JSON document as plain data (what preflight() resolves to). */
export function document(report: RunReport): Record<string, unknown> {
  const single = singlePairing(report);
  if (single) return ordered(single);
  return {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    plan: report.plan,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    pairings: report.pairings.map(pairing),
    summary: {
      pairings: report.summary.pairings,
      checks: counts(report.summary.checks),
    },
    exitCode: report.exitCode,
  };
}

function pairing(p: PairingResult): Record<string, unknown> {
  const r = p.report;
  return {
    local: { name: p.local.name, address: p.local.address, source: r.local.source },
    partner: { name: p.partner.name, address: p.partner.address, resolved: r.partner.address },
    durationMs: r.durationMs,
    phase: r.phase,
    checks: r.checks.map(orderedCheck),
    summary: counts(r.summary),
    exitCode: r.exitCode,
  };
}

const counts = (summary: Report['summary']) => Object.fromEntries(STATUSES.map((s) => [s, summary[s]]));

function ordered(report: Report): Record<string, unknown> {
  return {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    partner: { input: report.partner.input, address: report.partner.address },
    local: { input: report.local.input, source: report.local.source },
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    phase: report.phase,
    checks: report.checks.map(orderedCheck),
    summary: counts(report.summary),
    exitCode: report.exitCode,
  };
}

function orderedCheck(c: CheckResult): Record<string, unknown> {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    code: c.code,
    message: c.message,
    details: c.details,
    ...(c.fix !== undefined && { fix: c.fix }),
    ...(c.ignored !== undefined && { ignored: c.ignored }),
    durationMs: c.durationMs,
  };
}

/**
 * Details are free-form facts from sources and probes, so they may hold values JSON.stringify
 * throws on (bigint, cycles) or silently loses (Map, Error). A reporter must never crash the run,
 * so every reporter renders details through this.
 */
export function toJsonValue(value: unknown, ancestors: object[] = []): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // NaN/Infinity would become a silent null; the text says what was actually measured.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (ancestors.includes(value)) return '[Circular]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const inner = [...ancestors, value];
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value) || value instanceof Set) return [...value].map((v) => toJsonValue(v, inner));
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v, inner)]));
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJsonValue(toJSON.call(value), inner);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) {
    // Like JSON.stringify: an absent value is an absent key, not a null.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[k] = toJsonValue(v, inner);
  }
  return out;
}
