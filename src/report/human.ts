import { Chalk, type ChalkInstance } from 'chalk';
import type { Details, Status } from '../checks/types.js';
import { toJsonValue, type JsonValue } from './json.js';
import type { CheckResult, Report, Reporter } from './types.js';

const SYMBOL: Record<Status, string> = { pass: '✔', warn: '⚠', fail: '✖', skip: '○', unknown: '?' };

/** Lists longer than this are cut, so one partner with 500 scopes does not bury the verdict. */
const MAX_ITEMS = { full: 10, compact: 3 } as const;
const INDENT = '    ';

export const humanReporter: Reporter = (report, options) => {
  // An explicit level, not the global chalk: its level follows the environment, tests must not.
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const idWidth = Math.max(0, ...report.checks.map((r) => r.id.length));
  const lines = [...header(report, c), ''];
  for (const result of report.checks) lines.push(...checkLines(result, idWidth, options.verbose, c));
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
};

function header(report: Report, c: ChalkInstance): string[] {
  const { partner, local } = report;
  const address = partner.address ?? c.red('(no address)');
  const target = partner.address === partner.input ? address : `${clean(partner.input)} -> ${address}`;
  const localText = clean(local.input ?? 'this machine') + (local.source ? c.dim(` (facts: ${clean(local.source)})`) : '');
  return [
    c.bold(`${report.tool.name} ${report.tool.version}`),
    `partner: ${target}`,
    `local:   ${localText}`,
  ];
}

function checkLines(r: CheckResult, idWidth: number, verbose: boolean, c: ChalkInstance): string[] {
  const paint = colourOf(r.status, c);
  const ignored = r.ignored ? ` ${c.yellow('(ignored)')}` : '';
  const head = `${paint(SYMBOL[r.status])} ${paint(r.id.padEnd(idWidth))}  ${clean(r.title)}${ignored}`;
  const oneLine = r.status === 'pass' || r.status === 'skip';
  if (oneLine && !(verbose && r.status === 'pass')) {
    return [r.message ? `${head}${c.dim(` — ${clean(r.message)}`)}` : head];
  }
  // The message goes on its own line, whole: a failure's wording is documented and gets searched for.
  const lines = [head];
  if (r.message) lines.push(indent(r.status === 'pass' ? c.dim(clean(r.message)) : paint(clean(r.message))));
  const max = r.status === 'fail' ? MAX_ITEMS.full : MAX_ITEMS.compact;
  lines.push(...detailLines(r.details, max).map((l) => indent(c.dim(l))));
  if (r.fix && r.status !== 'pass') lines.push(indent(`${c.cyan('fix:')} ${clean(r.fix)}`));
  return lines;
}

function colourOf(status: Status, c: ChalkInstance): (text: string) => string {
  return { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim, unknown: c.magenta }[status];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function summaryLine(report: Report): string {
  const s = report.summary;
  return (
    `${plural(report.checks.length, 'check', 'checks')}: ${s.pass} passed, ${plural(s.warn, 'warning', 'warnings')}, ` +
    `${s.fail} failed, ${s.skip} skipped, ${s.unknown} unknown — exit code ${report.exitCode}`
  );
}

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
  if (isMultiline(value)) return [label, ...clean(value).split('\n').map((l) => `  ${l}`)];
  return [`${label} ${scalar(value)}`];
}

const isObject = (v: JsonValue): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMultiline = (v: JsonValue): v is string => typeof v === 'string' && v.includes('\n');
const scalar = (v: JsonValue): string => (typeof v === 'string' ? clean(v) : JSON.stringify(v));

/**
 * Messages and details carry text from the partner server and its sources; a stray escape sequence
 * there must not be able to rewrite the user's terminal.
 */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => INDENT + l)
    .join('\n');
}
