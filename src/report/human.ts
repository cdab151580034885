import type { Status } from '../checks/ids.js';
import { toJsonValue } from './json.js';
import { clean, detailLines, MAX_ITEMS, pairingName, runSummaryLine, summaryLine } from './text.js';
import { PLAIN, type Styles } from './styles.js';
import { wrapText } from './wrap.js';
import { singlePairing, type CheckResult, type Report, type ReportFormat, type ReporterOptions, type RunReport } from './types.js';

// For people at a terminal: each check once, what it found in a few evidence lines, and at the
// end a verdict block (kubeadm's [ERROR ...] list, flutter doctor's summary) with the fixes
// numbered. Machine details appear only with -v; machines read --format json.

const SYMBOL: Record<Status, string> = { pass: '✔', warn: '⚠', fail: '✖', skip: '○', unknown: '?' };

const INDENT = '    ';

/** Skips that say nothing about this pair: folded into one line. */
const FOLDED = /\.(?:not-selected|not-applicable)$/;

/** Loaded by prepare() for a run that paints: one writing to a pipe or a file never loads chalk. */
let colour: Styles | undefined;

export const human: ReportFormat = {
  async prepare(options) {
    if (options.color) colour ??= (await import('./colour.js')).colourStyles();
  },
  render: (report, options) => `${wrapText(lines(report, options).join('\n'), options.width)}\n`,
};

function lines(report: RunReport, options: ReporterOptions): string[] {
  const single = singlePairing(report);
  if (single) return pairingLines(single, options);
  // A plan: each pairing exactly as its own report, under a rule naming it, then the plan's line.
  const total = report.pairings.length;
  const out = [`${report.tool.name} ${report.tool.version} — plan ${clean(report.plan ?? '')}: ${total} pairing${total === 1 ? '' : 's'}`, ''];
  for (const [i, p] of report.pairings.entries()) out.push(`━━ pairing ${i + 1}/${total}: ${clean(pairingName(p))} ━━`, ...pairingLines(p.report, options), '');
  out.push(`plan: ${runSummaryLine(report)}`);
  return out;
}

function pairingLines(report: Report, options: ReporterOptions): string[] {
  if (options.color && !colour) throw new Error('human: render() with colour before prepare()');
  const c = options.color ? colour! : PLAIN;
  const shown = report.checks.filter((r) => !FOLDED.test(r.code));
  const folded = report.checks.filter((r) => FOLDED.test(r.code));
  const idWidth = Math.max(0, ...shown.map((r) => r.id.length));
  const fixes = numberedFixes(report.checks);
  const lines = [...header(report, c), ''];
  for (const result of shown) lines.push(...checkLines(result, idWidth, options.verbose, fixes.get(result.id), c));
  if (folded.length > 0) lines.push(foldedLine(folded, c));
  lines.push('', ...verdict(report, fixes, c), summaryLine(report));
  return lines;
}

function header(report: Report, c: Styles): string[] {
  const { partner, local } = report;
  const address = partner.address ?? c.red('(no address)');
  const target = partner.address === partner.input ? address : `${clean(partner.input)} -> ${address}`;
  const localText = clean(local.input ?? 'this machine') + (local.source ? c.dim(` (facts: ${clean(local.source)})`) : '');
  return [c.bold(`${report.tool.name} ${report.tool.version}`), `partner: ${target}`, `local:   ${localText}`];
}

/** Failures first, then unknowns, then warnings: the order to work through them. */
const FIX_ORDER: Status[] = ['fail', 'unknown', 'warn'];

/** Each check's fix number; checks with the same fix (one failed source behind several) share one. */
function numberedFixes(checks: CheckResult[]): Map<string, { n: number; fix: string }> {
  const out = new Map<string, { n: number; fix: string }>();
  const byText = new Map<string, number>();
  for (const status of FIX_ORDER)
    for (const r of checks) {
      if (r.status !== status || !r.fix) continue;
      const n = byText.get(r.fix) ?? byText.size + 1;
      byText.set(r.fix, n);
      out.set(r.id, { n, fix: r.fix });
    }
  return out;
}

function checkLines(r: CheckResult, idWidth: number, verbose: boolean, fix: { n: number } | undefined, c: Styles): string[] {
  const paint = colourOf(r.status, c);
  const ignored = r.ignored ? ` ${c.yellow('(ignored)')}` : '';
  const head = `${paint(SYMBOL[r.status])} ${paint(r.id.padEnd(idWidth))}  ${clean(r.title)}${ignored}`;
  const evidence = r.evidence ?? [];
  const spoke = r.evidence !== undefined;
  const quiet = r.status === 'pass' || r.status === 'skip';
  if (quiet && !verbose && evidence.length === 0) return [r.message ? `${head}${c.dim(` — ${clean(r.message)}`)}` : head];
  if (quiet && !verbose) return [`${head}${c.dim(` — ${clean(r.message)}`)}`, ...evidence.map((l) => indent(c.dim(`· ${clean(l)}`)))];
  // The message goes on its own line, whole: a failure's wording is documented and gets searched for.
  const lines = [head];
  if (r.message) lines.push(indent(quiet ? c.dim(clean(r.message)) : paint(clean(r.message))));
  lines.push(...evidence.map((l) => indent(`· ${clean(l)}`)));
  // Without evidence a problem's details are all there is to show; with it, details are for -v.
  if (verbose || (!spoke && !quiet)) {
    const max = r.status === 'fail' ? MAX_ITEMS.full : MAX_ITEMS.compact;
    lines.push(...detailLines(pruned(toJsonValue(r.details)), max).map((l) => indent(c.dim(l))));
  }
  if (fix) lines.push(indent(c.cyan(`→ fix ${fix.n} below`)));
  return lines;
}

function foldedLine(folded: CheckResult[], c: Styles): string {
  const groups = new Map<string, string[]>();
  for (const r of folded) {
    const why = r.code.endsWith('.not-selected') ? 'not selected' : 'not applicable to this pair';
    groups.set(why, [...(groups.get(why) ?? []), r.id]);
  }
  return c.dim(`${SYMBOL.skip} not run: ${[...groups].map(([why, ids]) => `${ids.join(', ')} (${why})`).join('; ')}`);
}

function verdict(report: Report, fixes: Map<string, { n: number; fix: string }>, c: Styles): string[] {
  const named = (status: Status) => report.checks.filter((r) => r.status === status).map((r) => r.id);
  const failed = named('fail');
  const unknown = named('unknown');
  const warned = named('warn');
  const lines: string[] = [];
  if (failed.length > 0 || unknown.length > 0) {
    const why = [
      ...(failed.length > 0 ? [`${failed.length} failed: ${failed.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`${unknown.length} not determined: ${unknown.join(', ')}`] : []),
    ].join('; ');
    lines.push(`${c.boldRed('NOT READY')}  ${why}`);
  } else {
    lines.push(
      `${c.boldGreen(report.phase === 'before-deploy' ? 'READY TO DEPLOY' : 'READY')}${warned.length > 0 ? `  with ${warned.length} warning${warned.length > 1 ? 's' : ''}: ${warned.join(', ')}` : ''}`,
    );
  }
  // Every fix once, naming each check it answers.
  const byNumber = new Map<number, { ids: string[]; fix: string }>();
  for (const [id, { n, fix }] of fixes) byNumber.set(n, { ids: [...(byNumber.get(n)?.ids ?? []), id], fix });
  for (const [n, { ids, fix }] of [...byNumber].sort((a, b) => a[0] - b[0])) lines.push(`  ${c.cyan(`${n}.`)} ${ids.join(', ')}: ${clean(fix)}`);
  return lines;
}

/** Zero, empty and absent fields say nothing to a reader. */
function pruned(value: unknown): Record<string, unknown> {
  const keep = (v: unknown): unknown => {
    if (v === null || v === undefined || v === 0 || v === '') return undefined;
    if (Array.isArray(v)) {
      const items = v.map(keep).filter((x) => x !== undefined);
      return items.length > 0 ? items : undefined;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v)
        .map(([k, x]) => [k, keep(x)] as const)
        .filter(([, x]) => x !== undefined);
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    return v;
  };
  return (keep(value) as Record<string, unknown> | undefined) ?? {};
}

function colourOf(status: Status, c: Styles): (text: string) => string {
  return { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim, unknown: c.magenta }[status];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => INDENT + l)
    .join('\n');
}
