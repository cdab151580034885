import { escapeControl } from '../util/escape.js';
import type { Details } from '../checks/types.js';
import { toJsonValue, type JsonValue } from './json.js';
import type { Report, RunReport } from './types.js';

// Plain-text pieces shared by the human, JUnit and TAP reporters; no colour here, so the
// machine formats never load chalk.

/** Lists longer than this are cut, so one partner with 500 scopes does not bury the verdict. */
export const MAX_ITEMS = { full: 10, compact: 3 } as const;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function summaryLine(report: Report): string {
  const s = report.summary;
  return (
    `${plural(report.checks.length, 'check', 'checks')}: ${s.pass} passed, ${plural(s.warn, 'warning', 'warnings')}, ` +
    `${s.fail} failed, ${s.skip} skipped, ${s.unknown} unknown — exit code ${report.exitCode}`
  );
}

/** A plan's closing line: pairings by verdict, then every pairing's checks counted. */
export function runSummaryLine(report: RunReport): string {
  const p = report.summary.pairings;
  const c = report.summary.checks;
  const n = (k: number, one: string) => plural(k, one, `${one}s`);
  return (
    `${n(p.total, 'pairing')}: ${p.ok} ok, ${p.failed} failed, ${p.unknown} undetermined ` +
    `(checks: ${c.pass} passed, ${n(c.warn, 'warning')}, ${c.fail} failed, ${c.skip} skipped, ${c.unknown} unknown) — exit code ${report.exitCode}`
  );
}

/** How a plan names a pairing: `hub -> branch1`. */
export const pairingName = (p: { local: { name: string }; partner: { name: string } }): string => `${p.local.name} -> ${p.partner.name}`;

/**
 * Details as readable `key: value` lines (nested values indented two spaces per level), shared
 * with the JUnit reporter so both show a failure the same way.
 */
export function detailLines(details: Details, maxItems: number = MAX_ITEMS.full): string[] {
  const root = toJsonValue(details);
  if (!isObject(root)) return [];
  return fields(root, maxItems);
}

function fields(object: { [key: string]: JsonValue }, maxItems: number): string[] {
  return Object.entries(object).flatMap(([k, v]) => entry(`${clean(k)}:`, v, maxItems));
}

function entry(label: string, value: JsonValue, maxItems: number): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${label} []`];
    const more = value.length > maxItems ? [`… and ${value.length - maxItems} more`] : [];
    const shown = value.slice(0, maxItems);
    if (shown.every((v) => !isObject(v) && !Array.isArray(v) && !isMultiline(v))) {
      return [`${label} ${[...shown.map(scalar), ...more].join(', ')}`];
    }
    const items = shown.flatMap((v) => {
      // An object item starts on its dash line, YAML-style, instead of leaving a bare "-".
      if (!isObject(v) || Object.keys(v).length === 0) return entry('-', v, maxItems);
      return fields(v, maxItems).map((l, i) => (i ? `  ${l}` : `- ${l}`));
    });
    return [label, ...[...items, ...more].map((l) => `  ${l}`)];
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${label} {}`];
    return [label, ...fields(value, maxItems).map((l) => `  ${l}`)];
  }
  if (isMultiline(value))
    return [
      label,
      ...clean(value)
        .split('\n')
        .map((l) => `  ${l}`),
    ];
  return [`${label} ${scalar(value)}`];
}

const isObject = (v: JsonValue): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMultiline = (v: JsonValue): v is string => typeof v === 'string' && v.includes('\n');
const scalar = (v: JsonValue): string => (typeof v === 'string' ? clean(v) : JSON.stringify(v));

/**
 * Messages and details carry text from the partner server and its sources; a stray escape sequence
 * there must not be able to rewrite the user's terminal.
 */
export function clean(text: string): string {
  return escapeControl(text, { keepLines: true });
}
