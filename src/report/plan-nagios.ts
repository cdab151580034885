import { NAGIOS_STATES, nagiosExitCode } from './nagios.js';
import type { PlanReport, PlanReporter } from './plan-types.js';

/** The plan's state is its worst pairing's (CRITICAL over UNKNOWN over WARNING over OK). */
export function planNagiosExitCode(report: PlanReport): 0 | 1 | 2 | 3 {
  if (report.exitCode !== 0 && report.exitCode !== 1 && report.exitCode !== 3) return 3;
  const codes = report.pairings.map((p) => nagiosExitCode(p.report));
  if (codes.includes(2)) return 2;
  if (codes.includes(3)) return 3;
  if (codes.includes(1)) return 1;
  return 0;
}

export const planNagiosReporter: PlanReporter = (report) => {
  const code = planNagiosExitCode(report);
  const byState = (c: number) => report.pairings.filter((p) => nagiosExitCode(p.report) === c).map(name);
  const parts = [
    byState(2).length > 0 ? `failed: ${byState(2).join(', ')}` : '',
    byState(3).length > 0 ? `undetermined: ${byState(3).join(', ')}` : '',
    code === 1 ? `warnings: ${byState(1).join(', ')}` : '',
  ].filter(Boolean);
  const p = report.summary.pairings;
  const perf = [`'pairings_failed'=${p.failed};;1;0;${p.total}`, `'pairings_unknown'=${p.unknown};;;0;${p.total}`, `'duration'=${Number((report.durationMs / 1000).toFixed(3))}s;;;0;`];
  const lines = [`DHCP FAILOVER ${NAGIOS_STATES[code]} - plan ${plain(report.plan)}: ${parts.join('; ') || `${p.total} pairings ok`} | ${perf.join(' ')}`];
  for (const pairing of report.pairings) {
    const failed = pairing.report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => c.id);
    lines.push(`[${NAGIOS_STATES[nagiosExitCode(pairing.report)]}] ${name(pairing)}${failed.length > 0 ? `: ${failed.join(', ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
};

const plain = (s: string): string => s.replace(/\|/g, '/').replace(/\s*[\r\n]+\s*/g, ' ');
const name = (p: PlanReport['pairings'][number]): string => plain(`${p.local.name} -> ${p.partner.name}`);
