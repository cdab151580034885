import { escapeControl } from '../util/escape.js';
import { stringify } from 'yaml';
import { pairingName, runSummaryLine, summaryLine } from './text.js';
import { toJsonValue } from './json.js';
import { singlePairing, type CheckResult, type Report, type ReportFormat } from './types.js';

/**
 * TAP version 14. A check that could not decide (unknown) is `not ok`, not `# TODO`: TODO would
 * let a harness count it as passing, and an undecided prerequisite must not look satisfied.
 */
export const tap: ReportFormat = {
  render: (report, options) => {
    const single = singlePairing(report);
    if (single) return ['TAP version 14', ...checkPoints(single, options.verbose), ''].join('\n');
    // A plan: one test point per pairing, its checks a subtest (indented four spaces, as TAP 14 nests).
    const lines = ['TAP version 14', `1..${report.pairings.length}`];
    report.pairings.forEach((p, i) => {
      const name = escapeDescription(pairingName(p));
      lines.push(
        `# Subtest: ${name}`,
        ...checkPoints(p.report, options.verbose).map((l) => `    ${l}`),
        `${p.report.exitCode === 0 ? 'ok' : 'not ok'} ${i + 1} - ${name}`,
      );
    });
    lines.push(`# plan: ${runSummaryLine(report)}`, '');
    return lines.join('\n');
  },
};

function checkPoints(report: Report, verbose: boolean): string[] {
  const lines = [`1..${report.checks.length}`];
  for (const [i, r] of report.checks.entries()) lines.push(...testPoint(r, i + 1, verbose));
  lines.push(`# ${summaryLine(report)}`);
  return lines;
}

function testPoint(r: CheckResult, n: number, verbose: boolean): string[] {
  const description = escapeDescription(`${r.id}: ${r.title}`);
  switch (r.status) {
    case 'skip':
      return [`ok ${n} - ${description} # SKIP ${oneLine(r.message)}`];
    case 'pass':
      return [`ok ${n} - ${description}`, ...(verbose ? yamlish(r) : [])];
    case 'warn': {
      const label = r.ignored ? 'warning (failure ignored)' : 'warning';
      return [`ok ${n} - ${description}`, ...comment(`${label}: ${r.message}`), ...yamlish(r)];
    }
    case 'fail':
    case 'unknown':
      return [`not ok ${n} - ${description}`, ...yamlish(r)];
  }
}

function yamlish(r: CheckResult): string[] {
  const doc = toJsonValue({
    message: r.message,
    status: r.status,
    code: r.code,
    ...(r.ignored && { ignored: true }),
    details: r.details,
    ...(r.fix !== undefined && { fix: r.fix }),
    durationMs: r.durationMs,
  });
  // lineWidth 0: folding a documented message across lines would make it harder to grep for.
  const body = stringify(doc, { lineWidth: 0 }).trimEnd().split('\n');
  // yaml leaves DEL and the C1 controls raw inside its double-quoted strings: escaped there too.
  return ['  ---', ...body.map((l) => `  ${l.replace(/[\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`)}`), '  ...'];
}

function comment(text: string): string[] {
  // A control character from a server or a file is shown as \x1b, never sent raw.
  return text.split('\n').map((l) => `# ${escapeControl(l)}`);
}

/** TAP 14: `#` starts a directive and `\` escapes, so both are escaped in a description. */
function escapeDescription(description: string): string {
  return oneLine(description).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

function oneLine(text: string): string {
  return escapeControl(text.replace(/\s*[\r\n]+\s*/g, ' '));
}
