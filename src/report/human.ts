import { Chalk, type ChalkInstance } from 'chalk';
import type { Status } from '../checks/ids.js';
import type { Details } from '../checks/types.js';
import { clean, detailLines, MAX_ITEMS, summaryLine } from './text.js';
import type { CheckResult, Report, Reporter } from './types.js';

const SYMBOL: Record<Status, string> = { pass: '✔', warn: '⚠', fail: '✖', skip: '○', unknown: '?' };

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

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => INDENT + l)
    .join('\n');
}
