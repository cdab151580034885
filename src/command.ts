import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainArgs, type CliArgs } from './cli-options.js';
import { buildPlan, flagOf, readConfigFile } from './config.js';
import type { ConfigInput } from './config-schema.js';
import { EXIT } from './exit-codes.js';
import type { Plan } from './plan.js';
import { deliver } from './report/deliver.js';
import { render } from './report/index.js';
import { stderrProgress } from './report/progress.js';
import { runPairing } from './run-pairing.js';
import { InputError } from './util/errors.js';
import { onInterrupt } from './util/interrupt.js';
import { stdoutColumns, stdoutIsTTY } from './util/terminal.js';

/** CLI flags override the config file, key by key; `label` names where each value came from. */
async function mergeOptions(args: CliArgs, onFormat?: (format: string | undefined) => void): Promise<{ merged: ConfigInput; label: (key: keyof ConfigInput) => string }> {
  const { opts: o, partner } = args;
  if (o.config === '') throw new InputError('--config: empty value');
  const fromFile: ConfigInput = typeof o.config === 'string' ? await readConfigFile(o.config, typeof o.timeout === 'string' ? o.timeout : undefined) : {};
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
function assertWritable(plan: Plan): void {
  for (const { path } of plan.outputs) {
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

/** A monitoring plugin must answer 3 UNKNOWN even for a bad invocation, so the format is read early. */
export function wantsNagios(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--format=nagios' || (a === '--format' && argv[i + 1] === 'nagios'));
}

/**
 * `onFormat` hears the format once the config file is merged in, so a `format: nagios` that only
 * the file sets still turns a later invocation error into 3 UNKNOWN.
 */
export async function run(argv: string[], onFormat?: (format: string | undefined) => void): Promise<number> {
  let args = plainArgs(argv);
  if (!args) {
    const reading = await (await import('./cli-program.js')).readWithCommander(argv);
    if ('answered' in reading) return 0;
    if ('plan' in reading) {
      const { runPlanCommand } = await import('./plan-file/command.js');
      return runPlanCommand(reading.plan.file, (await mergeOptions(reading.args)).merged, { concurrency: reading.plan.concurrency, assertWritable });
    }
    args = reading.run;
  }

  const { merged, label } = await mergeOptions(args, onFormat);
  const plan = await buildPlan(merged, { env: process.env, stdoutIsTTY: stdoutIsTTY(), label });
  assertWritable(plan);
  if (plan.ldap?.insecure && !plan.quiet) process.stderr.write('dhcp-failover-check: warning: --ldap-insecure: the directory server certificate is not verified\n');

  const interrupt = onInterrupt();

  const progress = stderrProgress(plan.format, plan.quiet);
  try {
    const report = await runPairing(plan, interrupt.signal, { onStart: (ids) => progress.start(ids), onDone: (r) => progress.done(r.id) }, interrupt.exitCode);
    progress.stop();
    const options = { color: plan.color, verbose: plan.verbose };
    const exitCode = plan.format === 'nagios' ? (await import('./report/nagios.js')).nagiosExitCode(report) : report.exitCode;
    // Wrapped only for a terminal: piped text stays one line per message, for grep.
    const width = stdoutColumns();
    const delivered = await deliver(await render(plan.format, report, width ? { ...options, width } : options), plan.outputs, (format) => render(format, report, { ...options, color: false }));
    return delivered ? exitCode : plan.format === 'nagios' ? 3 : EXIT.usage;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
