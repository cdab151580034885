import { escapeControl } from '../util/escape.js';
import { detailLines, runSummaryLine } from './text.js';
import { singlePairing, type CheckResult, type Report, type ReportFormat } from './types.js';

// GitHub-flavoured Markdown for change tickets and $GITHUB_STEP_SUMMARY: a table a reviewer reads
// at a glance, then the failures' details, which a table cell cannot hold.

const SYMBOL: Record<CheckResult['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', unknown: '❓' };

export const markdown: ReportFormat = {
  render: (report) => {
    const single = singlePairing(report);
    if (single) return `${pairing(single, `DHCP failover preflight: ${target(single)}`).join('\n')}\n`;
    // A plan: the plan's line, then each pairing's own report one level down.
    const out = [`# DHCP failover preflight plan: ${inline(report.plan ?? '')}`, '', `**${inline(runSummaryLine(report))}**`, ''];
    for (const [i, p] of report.pairings.entries()) out.push(...pairing(p.report, `${i + 1}. ${p.local.name} → ${p.partner.name} (${target(p.report)})`), '');
    return out.join('\n');
  },
};

function target(report: Report): string {
  const { input, address } = report.partner;
  return address && address !== input ? `${input} (${address})` : input;
}

function pairing(report: Report, heading: string): string[] {
  const s = report.summary;
  const lines = [
    `## ${cell(heading)}`,
    '',
    `**${verdictOf(report)}** — ${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.skip} skipped, ${s.unknown} unknown; exit code ${report.exitCode}`,
    '',
    '| | check | title | verdict | message |',
    '|---|---|---|---|---|',
    ...report.checks.map(
      (c) => `| ${SYMBOL[c.status]} | \`${c.id}\` | ${cell(c.title)} | ${c.ignored ? 'warn (failure ignored)' : c.status} | ${cell(c.message)} |`,
    ),
  ];
  const notable = report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown' || c.ignored);
  if (notable.length > 0) lines.push('', '### Details');
  for (const c of notable) {
    lines.push(
      '',
      `#### ${SYMBOL[c.status]} \`${c.id}\` — ${c.status} (\`${c.code}\`)`,
      '',
      '```text',
      ...fenced([c.message, ...detailLines(c.details, Infinity)]),
      '```',
    );
    if (c.fix) lines.push('', `**Fix:** ${inline(c.fix)}`);
  }
  lines.push('', `<sub>${cell(report.tool.name)} ${cell(report.tool.version)}, started ${report.startedAt}, ${report.durationMs} ms</sub>`);
  return lines;
}

function verdictOf(report: Report): string {
  if (report.summary.fail > 0) return 'FAILED';
  if (report.summary.unknown > 0) return 'UNDETERMINED';
  return report.phase === 'before-deploy' ? 'READY TO DEPLOY' : 'PASSED';
}

/** A table cell holds one line, and a `|` in the text would open a new column. */
function cell(text: string): string {
  return inline(text).replace(/\s*[\r\n]+\s*/g, '<br>');
}

/** Text outside code: HTML-like and Markdown-active characters must not become markup. */
function inline(text: string): string {
  // A control character (ESC, BEL, ...) from a server or a file is shown as \x1b, never sent raw.
  return escapeControl(
    text
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([`*_[\]])/g, '\\$1'),
    { keepLines: true },
  );
}

/** Inside a ``` fence only a line of backticks could end it early. */
function fenced(lines: string[]): string[] {
  return lines.flatMap((l) => l.split(/\r?\n/)).map((l) => escapeControl(/^\s*```/.test(l) ? `\u200b${l}` : l));
}
