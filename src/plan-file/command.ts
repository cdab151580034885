import type { ConfigInput } from '../config-schema.js';
import { EXIT } from '../exit-codes.js';
import type { Plan } from '../plan.js';
import { deliver } from '../report/deliver.js';
import { buildPlanReport } from '../report/plan-build.js';
import { renderPlan } from '../report/plan-index.js';
import { stderrProgress } from '../report/progress.js';
import { onInterrupt } from '../util/interrupt.js';
import { InputError } from '../util/errors.js';
import { stdoutIsTTY } from '../util/terminal.js';
import { readPlanFile } from './load.js';
import { DEFAULT_CONCURRENCY, preparePlan, runPlan } from './run.js';

export interface PlanCommandOptions {
  /** --concurrency as given. */
  concurrency?: string;
  /** Refuses an unwritable --output before anything is checked. */
  assertWritable(plan: Plan): void;
}

export function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!/^\d{1,4}$/.test(text) || n < 1 || n > 1000) throw new InputError(`--concurrency: "${text}" is not a whole number from 1 to 1000`);
  return n;
}

/** `dhcp-failover-check plan <file>`: every pairing checked, one report, the worst pairing's exit code. */
export async function runPlanCommand(file: string, cli: ConfigInput, options: PlanCommandOptions): Promise<number> {
  const concurrency = parseConcurrency(options.concurrency);
  const prepared = await preparePlan(await readPlanFile(file, cli.timeout), cli, { env: process.env, stdoutIsTTY: stdoutIsTTY() });
  const first = prepared.plans[0]!;
  options.assertWritable(first);
  if (first.ldap?.insecure && !first.quiet) process.stderr.write('dhcp-failover-check: warning: --ldap-insecure: the directory server certificate is not verified\n');

  const interrupt = onInterrupt();
  const progress = stderrProgress(first.format, first.quiet);
  const started = new Date();
  try {
    const pairings = await runPlan(prepared, interrupt.signal, { concurrency, onStart: (l) => progress.start(l), onDone: (l) => progress.done(l) });
    progress.stop();
    const report = buildPlanReport(file, pairings, started, interrupt.exitCode());
    const render = { color: first.color, verbose: first.verbose };
    const delivered = await deliver(await renderPlan(first.format, report, render), first.outputs, (format) => renderPlan(format, report, { ...render, color: false }));
    if (!delivered) return first.format === 'nagios' ? 3 : EXIT.usage;
    // --format nagios: the monitoring plugin's states are the exit code (README, Monitoring).
    return first.format === 'nagios' ? (await import('../report/plan-nagios.js')).planNagiosExitCode(report) : report.exitCode;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
