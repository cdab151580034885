import { STATUSES } from '../checks/ids.js';
import { singlePairing, type CheckResult, type PairingResult, type Report, type ReportFormat, type RunReport } from './types.js';
import { isoTime } from '../util/iso-time.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The versioned machine-readable report: the single-pair document (`schema report`) for a single
 * run, the plan document (`schema plan-report`) for a plan. Keys are emitted in a fixed order so
 * that two runs diff cleanly, and colour options are ignored: this output is for programs.
 */
export const json: ReportFormat = {
  // JSON.stringify leaves DEL, the C1 controls and U+2028/9 raw: escaped too (the same value).
  render: (report) =>
    `${JSON.stringify(jsonSafe(document(report)), null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
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
 * `value` itself when JSON.stringify writes it as toJsonValue would (the usual report: strings,
 * finite numbers, booleans, null, arrays and plain objects, no cycle), else toJsonValue's copy.
 * The check allocates nothing; the copy was most of what a short run allocated after its checks.
 */
export function jsonSafe(value: unknown): unknown {
  return isPlainJson(value, []) ? value : toJsonValue(value);
}

function isPlainJson(value: unknown, path: object[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    // An absent member is left out, and one in an array written null, by both.
    case 'undefined':
    case 'function':
    case 'symbol':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'bigint':
      return false;
  }
  if (value === null) return true;
  const object = value as object;
  if (path.includes(object)) return false;
  const proto = Object.getPrototypeOf(object) as unknown;
  const array = Array.isArray(object);
  // Dates, Maps, Sets, errors and class instances are toJsonValue's to write.
  if (!array && proto !== Object.prototype && proto !== null) return false;
  if (!array && typeof (object as { toJSON?: unknown }).toJSON === 'function') return false;
  path.push(object);
  let plain = true;
  if (array) {
    for (let i = 0; plain && i < (object as unknown[]).length; i++) plain = isPlainJson((object as unknown[])[i], path);
  } else {
    for (const key in object) {
      if (!isPlainJson((object as Record<string, unknown>)[key], path)) {
        plain = false;
        break;
      }
    }
  }
  path.pop();
  return plain;
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
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoTime(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  // One path of ancestors, pushed and popped, not a copy per level: a report has hundreds of
  // objects, and the copies were most of what a short run allocated after its checks.
  ancestors.push(value);
  try {
    return inner(value, ancestors);
  } finally {
    ancestors.pop();
  }
}

function inner(value: object, ancestors: object[]): JsonValue {
  if (Array.isArray(value)) {
    const out: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toJsonValue(value[i], ancestors);
    return out;
  }
  if (value instanceof Set) return Array.from(value, (v) => toJsonValue(v, ancestors));
  if (value instanceof Map) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of value) setKey(out, String(k), toJsonValue(v, ancestors));
    return out;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJsonValue(toJSON.call(value), ancestors);
  const out: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    // Like JSON.stringify: an absent value is an absent key, not a null.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    setKey(out, k, toJsonValue(v, ancestors));
  }
  return out;
}

/** An own key, even "__proto__" (Object.fromEntries and Object.entries kept it as one). */
function setKey(out: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
