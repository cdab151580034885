import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainArgs, type CliArgs } from './cli-options.js';
import { buildPlan, flagOf, readConfigFile } from './config.js';
import type { ConfigInput } from './config-schema.js';
import type { PlanRequest } from './plan-file/subcommand.js';
import { planOfOne, type Plan } from './plan.js';
import { deliver } from './report/deliver.js';
import { exitCodeOf, render, usageExitCodeOf } from './report/index.js';
import { stderrProgress } from './report/progress.js';
import { runPlan } from './run.js';
import { InputError } from './util/errors.js';
import { onInterrupt } from './util/interrupt.js';
import { stdoutColumns, stdoutIsTTY } from './util/terminal.js';

/** CLI flags override the config file, key by key; `label` names where each value came from. */
async function mergeOptions(args: CliArgs, onFormat?: (format: string | undefined) => void): Promise<{ merged: ConfigInput; label: (key: keyof ConfigInput) => string }> {
  const { opts: o, partner } = args;
  if (o.config === '') throw new InputError('--config: empty value');
  const fromFile: ConfigInput = typeof o.config === 'string' ? await readConfigFile(o.config) : {};
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  onFormat?.(str('format') ?? fromFile.format);
  const arr = (k: string) => (Array.isArray(o[k]) ? (o[k] as string[]) : undefined);
  let failoverPort: number | undefined;
  const portText = str('failoverPort');
  if (portText !== undefined) {
    failoverPort = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || failoverPort < 1 || failoverPort > 65535) throw new InputError(`--failover-port: "${portText}" is not a TCP port (1-65535)`);
  }
  const cli: ConfigInput = {
    partner,
    scopes: arr('scope'),
    local: str('local'),
    localSource: str('localSource'),
    partnerSource: str('partnerSource'),
    localNtp: str('localNtp'),
    partnerNtp: str('partnerNtp'),
    localSmb: str('localSmb'),
    partnerSmb: str('partnerSmb'),
    maxTimeSkew: str('maxTimeSkew'),
    failoverPort,
    omapiKeyFile: str('omapiKeyFile'),
    timeout: str('timeout'),
    only: arr('only'),
    skip: arr('skip'),
    ignore: arr('ignore'),
    format: str('format') as ConfigInput['format'],
    output: arr('output'),
    color: args.noColor ? false : undefined,
    quiet: o.quiet === true ? true : undefined,
    verbose: o.verbose === true ? true : undefined,
  };
  const merged: ConfigInput = { ...fromFile };
  const fileKeys = new Set(Object.keys(fromFile));
  for (const [k, v] of Object.entries(cli)) {
    if (v === undefined) continue;
    (merged as Record<string, unknown>)[k] = v;
    fileKeys.delete(k);
  }
  const label = (key: keyof ConfigInput) => (fileKeys.has(key) ? `${String(o.config)}: ${key}` : flagOf(key));
  if (o.keaUser || o.keaPasswordFile || o.keaCa) {
    merged.kea = { ...merged.kea, ...defined({ user: str('keaUser'), passwordFile: str('keaPasswordFile'), ca: str('keaCa') }) };
  }
  const ldap = defined({
    url: str('ldap'),
    bindDn: str('ldapBindDn'),
    passwordFile: str('ldapPasswordFile'),
    ca: str('ldapCa'),
    insecure: o.ldapInsecure === true ? true : undefined,
    base: str('ldapBase'),
    user: str('user'),
    adminGroup: str('adminGroup'),
  });
  if (Object.keys(ldap).length > 0) {
    const url = ldap.url ?? merged.ldap?.url;
    if (url === undefined) throw new InputError(`${LDAP_FLAGS[Object.keys(ldap)[0] as keyof typeof LDAP_FLAGS]} needs --ldap <url>`);
    merged.ldap = { ...merged.ldap, ...ldap, url };
  }
  return { merged, label };
}

const LDAP_FLAGS = {
  url: '--ldap',
  bindDn: '--ldap-bind-dn',
  passwordFile: '--ldap-password-file',
  ca: '--ldap-ca',
  insecure: '--ldap-insecure',
  base: '--ldap-base',
  user: '--user',
  adminGroup: '--admin-group',
} as const;

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
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
  let args = plainArgs(argv);
  let planRequest: PlanRequest | undefined;
  if (!args) {
    const reading = await (await import('./cli-program.js')).readWithCommander(argv);
    if ('answered' in reading) return 0;
    if ('plan' in reading) planRequest = reading.plan;
    args = 'plan' in reading ? reading.args : reading.run;
  }
  const { merged, label } = await mergeOptions(args, onFormat);
  const env = { env: process.env, stdoutIsTTY: stdoutIsTTY() };
  let plan: Plan;
  if (planRequest) {
    const [{ readPlanFile }, { parseConcurrency, preparePlan }] = await Promise.all([import('./plan-file/load.js'), import('./plan-file/prepare.js')]);
    const concurrency = parseConcurrency(planRequest.concurrency);
    plan = preparePlan(await readPlanFile(planRequest.file), merged, env, concurrency);
  } else {
    plan = planOfOne(buildPlan(merged, { ...env, label }));
  }
  return execute(plan);
}

async function execute(plan: Plan): Promise<number> {
  const { format, outputs, color, verbose, quiet } = plan.output;
  assertWritable(outputs);
  if (plan.pairings.some((p) => p.plan.ldap?.insecure) && !quiet) process.stderr.write('dhcp-failover-check: warning: --ldap-insecure: the directory server certificate is not verified\n');
  const interrupt = onInterrupt();
  const progress = stderrProgress(format, quiet);
  try {
    const report = await runPlan(plan, interrupt.signal, { onStart: (labels) => progress.start(labels), onDone: (label) => progress.done(label) }, interrupt.exitCode);
    progress.stop();
    const exitCode = await exitCodeOf(format, report);
    // Wrapped only for a terminal: piped text stays one line per message, for grep.
    const width = stdoutColumns();
    const options = { color, verbose };
    const delivered = await deliver(await render(format, report, width ? { ...options, width } : options), outputs, (f) => render(f, report, { ...options, color: false }));
    return delivered ? exitCode : usageExitCodeOf(format);
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
