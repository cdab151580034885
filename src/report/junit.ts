import { STATUSES } from '../checks/ids.js';
import { detailLines } from './text.js';
import { pairingName } from './text.js';
import { singlePairing, type CheckResult, type Report, type ReportFormat, type RunReport } from './types.js';

const SUITE = 'dhcp-failover-check';

/**
 * JUnit XML for CI dashboards: fail is a failure, unknown an error, warn a pass with output. One
 * <testsuite> per pairing (a single run has one) inside one <testsuites> with the run's totals.
 */
export const junit: ReportFormat = {
  render: (report) => {
    const single = singlePairing(report);
    const suites = single ? [suite(SUITE, single)] : report.pairings.map((p, i) => suite(`${SUITE} ${i + 1}: ${pairingName(p)}`, p.report));
    const name = single ? SUITE : `${SUITE} plan ${report.plan ?? ''}`;
    const c = report.summary.checks;
    const total = STATUSES.reduce((n, s) => n + c[s], 0);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      // The <testsuites> wrapper is what most consumers (Jenkins, GitLab, vitest's own output) expect.
      `<testsuites name="${attr(name)}" ${counts(total, c, report.durationMs)}>`,
      ...suites.flat(),
      '</testsuites>',
      '',
    ].join('\n');
  },
};

function suite(name: string, report: Report): string[] {
  return [
    `  <testsuite name="${attr(name)}" ${counts(report.checks.length, report.summary, report.durationMs)} timestamp="${attr(report.startedAt)}">`,
    ...report.checks.flatMap(testcase),
    '  </testsuite>',
  ];
}

function counts(tests: number, summary: RunReport['summary']['checks'], durationMs: number): string {
  return `tests="${tests}" failures="${summary.fail}" errors="${summary.unknown}" skipped="${summary.skip}" time="${seconds(durationMs)}"`;
}

function testcase(r: CheckResult): string[] {
  const open = `    <testcase classname="${SUITE}" name="${attr(`${r.id}: ${r.title}`)}" time="${seconds(r.durationMs)}"`;
  // The stable code rides along as a property, which JUnit consumers keep per testcase.
  const props = [`      <properties><property name="code" value="${attr(r.code)}"/></properties>`];
  switch (r.status) {
    case 'pass':
      return [`${open}>`, ...props, '    </testcase>'];
    case 'skip':
      return [`${open}>`, ...props, `      <skipped message="${attr(r.message)}"/>`, '    </testcase>'];
    case 'warn': {
      const label = r.ignored ? 'warning (failure ignored)' : 'warning';
      return [`${open}>`, ...props, `      <system-out>${text(`${label}: ${body(r)}`)}</system-out>`, '    </testcase>'];
    }
    case 'fail':
    case 'unknown': {
      const tag = r.status === 'fail' ? 'failure' : 'error';
      return [`${open}>`, ...props, `      <${tag} message="${attr(r.message)}" type="${attr(r.code)}">${text(body(r))}</${tag}>`, '    </testcase>'];
    }
  }
}

function body(r: CheckResult): string {
  // Uncapped: the XML is an archived record, not a screen.
  const lines = [r.message, ...detailLines(r.details, Infinity)];
  if (r.fix) lines.push(`fix: ${r.fix}`);
  return lines.join('\n');
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** Everything outside XML 1.0's Char production; a parser rejects the whole file over one of these. */
const ILLEGAL = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function text(s: string): string {
  // C1 controls (CSI \x9b, ...) are legal XML but a terminal may act on them: character references.
  return s
    .replace(ILLEGAL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u007f-\u009f]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
}

function attr(s: string): string {
  // Parsers normalise raw whitespace in attributes to spaces; character references survive.
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
