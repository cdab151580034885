import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainArgs, type CliArgs } from './cli-options.js';
import { buildPlan, readConfigFile } from './config.js';
import { flagOf, PLAN_COMMAND_OPTIONS, type ConfigInput } from './options.js';
import { fromCommandLine, keysSet, mergeLayers, refuseRepeats, type Merged } from './options-merge.js';
import type { PlanRequest } from './plan-file/subcommand.js';
import { planOfOne, type Plan } from './plan.js';
import { deliver } from './report/deliver.js';
import { exitCodeOf, render, usageExitCodeOf } from './report/index.js';
import { stderrProgress } from './report/progress.js';
import { runPlan } from './run.js';
import { InputError } from './util/errors.js';
import { onInterrupt } from './util/interrupt.js';
import { stdoutColumns, stdoutIsTTY } from './util/terminal.js';

/** The config file's options under the command line's, key by key; each error names its value's origin. */
async function mergeOptions(args: CliArgs, onFormat?: (format: string | undefined) => void): Promise<Merged> {
  const file = args.opts.config;
  if (file === '') throw new InputError('--config: empty value');
  const cli = fromCommandLine(args);
  const fromFile: ConfigInput = typeof file === 'string' ? await readConfigFile(file, cli.timeout) : {};
  onFormat?.(cli.format ?? fromFile.format);
  const merged = mergeLayers([
    { options: fromFile, label: (key) => `${String(file)}: ${key}` },
    { options: cli, label: flagOf },
  ]);
  // --user alone is judged against the partner bundle's groups; every other directory flag needs --ldap.
  const ldapKeys = keysSet(cli).filter((k) => k.startsWith('ldap.') && k !== 'ldap.user');
  if (ldapKeys.length > 0 && merged.options.ldap?.url === undefined) throw new InputError(`${flagOf(ldapKeys[0]!)} needs --ldap <url>`);
  return merged;
}

/** Refuse an unwritable --output before anything is checked, not after a minute of probing. */
function assertWritable(outputs: Plan['output']['outputs']): void {
  for (const { path } of outputs) {
    const file = resolve(path);
    try {
      const existing = statSync(file, { throwIfNoEntry: false });
      if (existing?.isDirectory()) throw new InputError(`--output: ${path} is a directory`);
      accessSync(existing ? file : dirname(file), constants.W_OK);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`--output: cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

/** The --format the command line names, read before anything else: a bad invocation is still answered in it (nagios). */
export function formatIn(argv: readonly string[]): string | undefined {
  let format: string | undefined;
  argv.forEach((a, i) => {
    if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--format') format = argv[i + 1];
  });
  return format;
}

/**
 * The one road from a command line to an exit code: a single run and a plan file both become a
 * Plan and go through runPlan. `onFormat` hears the format once the config file is merged in, so
 * a `format: nagios` that only the file sets still turns a later invocation error into 3 UNKNOWN.
 */
export async function run(argv: string[], onFormat?: (format: string | undefined) => void): Promise<number> {
  refuseRepeats(argv, PLAN_COMMAND_OPTIONS);
  let args = plainArgs(argv);
  let planRequest: PlanRequest | undefined;
  if (!args) {
    const reading = await (await import('./cli-program.js')).readWithCommander(argv);
    if ('answered' in reading) return 0;
    if ('migrate' in reading) return (await import('./migrate/run.js')).runMigrate(reading.migrate);
    if ('plan' in reading) planRequest = reading.plan;
    args = 'plan' in reading ? reading.args : reading.run;
  }
  const { options: merged, label } = await mergeOptions(args, onFormat);
  const env = { env: process.env, stdoutIsTTY: stdoutIsTTY() };
  let plan: Plan;
  if (planRequest) {
    const [{ readPlanFile }, { parseConcurrency, preparePlan }] = await Promise.all([import('./plan-file/load.js'), import('./plan-file/prepare.js')]);
    const concurrency = parseConcurrency(planRequest.concurrency);
    plan = await preparePlan(await readPlanFile(planRequest.file, merged.timeout), { options: merged, label }, env, concurrency);
  } else {
    plan = planOfOne(await buildPlan(merged, { ...env, label }));
  }
  return execute(plan);
}

async function execute(plan: Plan): Promise<number> {
  const { format, outputs, color, verbose, quiet } = plan.output;
  assertWritable(outputs);
  if (!quiet) for (const note of new Set(plan.pairings.flatMap((p) => p.plan.notes ?? []))) process.stderr.write(`dhcp-failover-check: ${note}\n`);
  if (plan.pairings.some((p) => p.plan.ldap?.insecure) && !quiet)
    process.stderr.write('dhcp-failover-check: warning: --ldap-insecure: the directory server certificate is not verified\n');
  const interrupt = onInterrupt();
  const progress = stderrProgress(format, quiet);
  try {
    const report = await runPlan(
      plan,
      interrupt.signal,
      { onStart: (labels) => progress.start(labels), onDone: (label) => progress.done(label) },
      interrupt.exitCode,
    );
    progress.stop();
    // One line, whatever the format: the report (with what finished) follows as usual.
    const by = interrupt.by();
    if (by) process.stderr.write(`dhcp-failover-check: interrupted by ${by}; what finished is reported\n`);
    const exitCode = await exitCodeOf(format, report);
    // Wrapped only for a terminal: piped text stays one line per message, for grep.
    const width = stdoutColumns();
    const options = { color, verbose };
    // A FIFO or device target waits for its reader as long as a probe may wait for an answer.
    const deadlineMs = Math.max(1000, ...plan.pairings.map((p) => p.plan.timeoutMs));
    const delivered = await deliver(
      await render(format, report, width ? { ...options, width } : options),
      outputs,
      (f) => render(f, report, { ...options, color: false }),
      deadlineMs,
    );
    return delivered ? exitCode : usageExitCodeOf(format);
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
