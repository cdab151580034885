import { clean, pairingName } from './text.js';
import { singlePairing, type CheckResult, type PairingResult, type ReportFormat, type RunReport } from './types.js';

// GitHub Actions workflow commands (docs.github.com, "Workflow commands for GitHub Actions"): the
// runner turns each line into an annotation on the job. `::error` for a failed check, `::warning`
// for a warning, and the verdict as `::notice`. An undetermined check is an error too: it fails
// the job (exit 3) and the annotation must say why.

export const github: ReportFormat = {
  render: (report) => {
    const single = singlePairing(report);
    const lines = report.pairings.flatMap((p) => p.report.checks.flatMap((c) => annotation(c, single ? undefined : p)));
    lines.push(command('notice', 'dhcp-failover-check', verdict(report)));
    return `${lines.join('\n')}\n`;
  },
};

function annotation(c: CheckResult, pairing: PairingResult | undefined): string[] {
  const level = c.status === 'fail' || c.status === 'unknown' ? 'error' : c.status === 'warn' ? 'warning' : undefined;
  if (!level) return [];
  const where = pairing ? `${pairingName(pairing)}: ` : '';
  const title = `${where}${c.id}${c.status === 'unknown' ? ' (not determined)' : c.ignored ? ' (failure ignored)' : ''}`;
  const text = [c.message, ...(c.evidence ?? []).map((l) => `· ${l}`), ...(c.fix ? [`fix: ${c.fix}`] : [])].join('\n');
  return [command(level, title, text)];
}

function verdict(report: RunReport): string {
  const s = report.summary.checks;
  const ready = s.fail === 0 && s.unknown === 0;
  const counts = `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.unknown} not determined`;
  const pairings = report.plan === null ? '' : `${report.summary.pairings.total} pairings (${report.summary.pairings.ok} ok): `;
  const deploy = report.pairings.length > 0 && report.pairings.every((p) => p.report.phase === 'before-deploy');
  return `${ready ? (deploy ? 'READY TO DEPLOY' : 'READY') : 'NOT READY'}: ${pairings}${counts}; exit code ${report.exitCode}`;
}

/** `::level title=…::message`, escaped as the runner unescapes: data `%` CR LF; properties also `:` `,`. */
export function command(level: 'error' | 'warning' | 'notice', title: string, message: string): string {
  return `::${level} title=${property(title)}::${data(message)}`;
}

const data = (s: string): string => clean(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
