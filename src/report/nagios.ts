import { clean, pairingName } from './text.js';
import { singlePairing, type CheckResult, type Report, type ReportFormat, type RunReport } from './types.js';

// The monitoring-plugins convention (Nagios, Icinga, Naemon, Checkmk): one status line with
// perfdata after `|`, long text below it, and the exit code is the state. That makes this the
// only format whose exit codes differ from the tool's own table.

export const NAGIOS_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type NagiosState = (typeof NAGIOS_STATES)[number];

export const nagios: ReportFormat = {
  render: (report) => {
    const single = singlePairing(report);
    return single ? pairingText(single) : planText(report);
  },
  exitCode: (report) => {
    const single = singlePairing(report);
    return single ? pairingState(single) : planState(report);
  },
  // A monitoring plugin answers UNKNOWN for whatever is not a verdict on the servers.
  usageExitCode: 3,
  usageLine: (message) => `DHCP FAILOVER UNKNOWN - ${plain(message)}\n`,
};

/** 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; an interrupted run decided nothing, so it is UNKNOWN. */
function pairingState(report: Report): 0 | 1 | 2 | 3 {
  if (report.exitCode !== 0 && report.exitCode !== 1 && report.exitCode !== 3) return 3;
  if (report.summary.fail > 0) return 2;
  if (report.summary.unknown > 0) return 3;
  if (report.summary.warn > 0) return 1;
  return 0;
}

/** The plan's state is its worst pairing's (CRITICAL over UNKNOWN over WARNING over OK). */
function planState(report: RunReport): 0 | 1 | 2 | 3 {
  if (report.exitCode !== 0 && report.exitCode !== 1 && report.exitCode !== 3) return 3;
  const codes = report.pairings.map((p) => pairingState(p.report));
  if (codes.includes(2)) return 2;
  if (codes.includes(3)) return 3;
  if (codes.includes(1)) return 1;
  return 0;
}

function planText(report: RunReport): string {
  const code = planState(report);
  const byState = (c: number) => report.pairings.filter((p) => pairingState(p.report) === c).map((p) => plain(pairingName(p)));
  const parts = [
    byState(2).length > 0 ? `failed: ${byState(2).join(', ')}` : '',
    byState(3).length > 0 ? `undetermined: ${byState(3).join(', ')}` : '',
    code === 1 ? `warnings: ${byState(1).join(', ')}` : '',
  ].filter(Boolean);
  const p = report.summary.pairings;
  const perf = [
    `'pairings_failed'=${p.failed};;1;0;${p.total}`,
    `'pairings_unknown'=${p.unknown};;;0;${p.total}`,
    `'duration'=${num(report.durationMs / 1000)}s;;;0;`,
  ];
  const lines = [
    `DHCP FAILOVER ${NAGIOS_STATES[code]} - plan ${plain(report.plan ?? '')}: ${parts.join('; ') || `${p.total} pairings ok`} | ${perf.join(' ')}`,
  ];
  for (const pairing of report.pairings) {
    const failed = pairing.report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => c.id);
    lines.push(`[${NAGIOS_STATES[pairingState(pairing.report)]}] ${plain(pairingName(pairing))}${failed.length > 0 ? `: ${failed.join(', ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function pairingText(report: Report): string {
  const code = pairingState(report);
  const state = NAGIOS_STATES[code];
  const lines = [`DHCP FAILOVER ${state} - ${plain(report.partner.input)}: ${headline(report, code)} | ${perfdata(report).join(' ')}`];
  // Long text: what a monitoring UI shows under the status line, worst first.
  const order: CheckResult['status'][] = ['fail', 'unknown', 'warn', 'pass', 'skip'];
  for (const status of order) {
    for (const c of report.checks.filter((r) => r.status === status && status !== 'skip')) {
      lines.push(`[${LABEL[status]}] ${c.id}: ${plain(c.message.split('\n')[0] ?? '')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const LABEL: Record<CheckResult['status'], string> = { pass: 'OK', warn: 'WARNING', fail: 'CRITICAL', unknown: 'UNKNOWN', skip: 'SKIPPED' };

function headline(report: Report, code: number): string {
  const ids = (status: CheckResult['status']) => report.checks.filter((c) => c.status === status).map((c) => c.id);
  if (code === 3 && report.summary.fail === 0 && ids('unknown').length === 0) return `interrupted (exit ${report.exitCode})`;
  const parts: string[] = [];
  if (ids('fail').length > 0) parts.push(`failed: ${ids('fail').join(', ')}`);
  if (ids('unknown').length > 0) parts.push(`undetermined: ${ids('unknown').join(', ')}`);
  if (code === 1) parts.push(`warnings: ${ids('warn').join(', ')}`);
  if (parts.length === 0) parts.push(`${report.summary.pass} checks passed`);
  return parts.join('; ');
}

/** `'label'=value[UOM];[warn];[crit];[min];[max]`, numbers only where a check measured them. */
function perfdata(report: Report): string[] {
  const out: string[] = [];
  const time = report.checks.find((c) => c.id === 'time')?.details;
  if (time && typeof time.differenceMs === 'number' && typeof time.limitSeconds === 'number') {
    // Warn at half the limit: where Kea HA starts logging clock-skew warnings (30 of 60 s).
    out.push(`'clock_difference'=${num(Math.abs(time.differenceMs) / 1000)}s;${num(time.limitSeconds / 2)};${num(time.limitSeconds)};0;`);
  }
  const rel = report.checks.find((c) => c.id === 'relationships')?.details;
  for (const role of ['local', 'partner'] as const) {
    const side = rel?.[role] as { count?: unknown; maximum?: unknown } | undefined;
    if (side && typeof side.count === 'number') {
      const max = typeof side.maximum === 'number' ? side.maximum : '';
      out.push(`'relationships_${role}'=${side.count};;${max};0;${max}`);
    }
  }
  out.push(`'checks_failed'=${report.summary.fail};;1;0;${report.checks.length}`);
  out.push(`'duration'=${num(report.durationMs / 1000)}s;;;0;`);
  return out;
}

const num = (n: number): string => String(Number(n.toFixed(3)));

/** `|` starts perfdata and a newline ends the status line; neither may come from a message. */
function plain(text: string): string {
  return clean(text.replace(/\|/g, '/').replace(/\s*[\r\n]+\s*/g, ' '));
}
