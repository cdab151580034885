import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { buildPlan, flagOf, readConfigFile } from './config.js';
import type { ConfigInput } from './config-schema.js';
import { CHECK_IDS } from './checks/ids.js';
import { SPEC_FORMS } from './sources/kinds.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { FORMATS, type Plan } from './plan.js';
import { toolInfo } from './report/build.js';
import { deliver } from './report/deliver.js';
import { render } from './report/index.js';
import { createProgress } from './report/progress.js';
import { runPairing } from './run-pairing.js';
import { InputError } from './util/errors.js';
import { onInterrupt } from './util/interrupt.js';
import { addPlanCommand, type PlanRequest } from './plan-file/subcommand.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function program(): Command {
  const cmd = new Command('dhcp-failover-check')
    .description('Preflight checks before pairing two DHCP servers for failover / high availability')
    .version(toolInfo().version, '--version')
    .argument('[partner]', 'DNS name or IPv4 address of the failover partner')
    // Not variadic: `--scope 10.0.10.0 dhcp2` must leave the partner to be the partner.
    .option('-s, --scope <scopes>', 'scope to be shared: 10.0.0.0 or 10.0.0.0/24; repeatable or comma-separated (default: every scope of the local server)', collect)
    .option('--local <host>', 'the local (primary) server (default: this machine)')
    .option('--local-source <spec>', `facts about the local server: ${SPEC_FORMS}`)
    .option('--partner-source <spec>', 'facts about the partner (same forms as --local-source)')
    .option('--local-ntp <host[:port]>', "NTP endpoint for the local server's clock (default: this machine's clock, or <local>:123)")
    .option('--partner-ntp <host[:port]>', "NTP endpoint for the partner's clock (default: <partner address>:123)")
    .option('--local-smb <host[:port]>', "SMB2 endpoint whose NEGOTIATE reply gives the local server's clock (default: <local>:445 for a Windows server)")
    .option('--partner-smb <host[:port]>', "SMB2 endpoint for the partner's clock (default: <partner address>:445 for a Windows partner)")
    .option('--max-time-skew <duration>', 'permissible clock difference, e.g. 60s, 1m (default 1m)')
    .option('--failover-port <port>', "TCP port of the failover protocol (default: the platform's: 647; for a Kea partner, its HA URL's port)")
    .option('--timeout <duration>', 'bound for each probe (default 5s)')
    .option('--only <ids>', `run only these checks (comma-separated or repeated): ${CHECK_IDS.join(' ')}`, collect)
    .option('--skip <ids>', 'skip these checks', collect)
    .option('--ignore <ids>', 'report failures of these checks as warnings', collect)
    .addOption(new Option('--format <format>', 'what goes to stdout (nagios: exit codes of a monitoring plugin, see below)').choices(FORMATS))
    .option('--output <format=file>', 'also write a report in that format to a file; repeatable', collect)
    .option('-c, --config <file>', 'read these options from a JSON or YAML file (see `schema config`)')
    .option('--kea-user <name>', 'Kea Control Agent user (password from KEA_PASSWORD or --kea-password-file)')
    .option('--kea-password-file <file>', 'file holding the Kea agent password')
    .option('--kea-ca <file>', 'CA certificate for https Kea agents')
    .option('--omapi-key-file <file>', 'file holding a dhcpd key block for OMAPI (dhcpd sources)')
    .option('--ldap <url>', 'directory to ask: ldaps://dc or ldap://dc (StartTLS)')
    .option('--ldap-bind-dn <dn>', 'bind identity: a DN or user@REALM (password from LDAP_PASSWORD or --ldap-password-file)')
    .option('--ldap-password-file <file>', 'file holding the LDAP password')
    .option('--ldap-ca <file>', 'CA certificate to verify the directory server')
    .option('--ldap-insecure', 'do not verify the directory server certificate (labs only)')
    .option('--ldap-base <dn>', 'search base (default: from the rootDSE)')
    .option('--user <name>', 'whose rights to check: sAMAccountName, UPN or DN (default: the bind identity)')
    .option('--admin-group <name>', 'group that may administer DHCP (default "DHCP Administrators")')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-q, --quiet', 'no progress line and no warnings on stderr')
    .option('-v, --verbose', 'show details of passing checks too')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n${NAGIOS_HELP}\n\nPlan files: dhcp-failover-check plan <file> [--concurrency n]\nSchemas: dhcp-failover-check schema <config|inventory|report|plan|plan-report>`)
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showHelpAfterError(false);
  cmd.command('schema <document>').description('print the JSON Schema of config, inventory, report, plan or plan-report').action(async (doc: string) => {
    process.stdout.write((await import('./schema.js')).jsonSchemaOf(doc));
  });
  return cmd;
}

const NAGIOS_HELP = `With --format nagios the exit code is the monitoring plugin's instead:
  0 OK, 1 WARNING, 2 CRITICAL (a check failed), 3 UNKNOWN (undetermined, interrupted or a bad invocation)`;

/** CLI flags override the config file, key by key; `label` names where each value came from. */
async function mergeOptions(cmd: Command, partner: string | undefined, onFormat?: (format: string | undefined) => void): Promise<{ merged: ConfigInput; label: (key: keyof ConfigInput) => string }> {
  const o = cmd.opts<Record<string, unknown>>();
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
    color: cmd.getOptionValueSource('color') === 'cli' ? false : undefined,
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

/** `help` and `help schema` are help, not a partner named "help". */
function helpAlias(argv: string[]): string[] {
  if (argv[0] !== 'help') return argv;
  return argv.length > 1 ? [...argv.slice(1), '--help'] : ['--help'];
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
  const cmd = program();
  let planRequest: PlanRequest | undefined;
  addPlanCommand(cmd, (request) => (planRequest = request));
  let partner: string | undefined;
  cmd.action((p: string | undefined) => {
    partner = p;
  });
  try {
    await cmd.parseAsync(helpAlias(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      // "--kea-password=S3cret" is an unknown option whose value may be a secret: never echo it.
      throw new InputError(err.message.replace(/^error: /, '').replace(/'(--?[^'=\s]+)=[^']*'/g, "'$1=…'"));
    }
    throw err;
  }
  if (cmd.args[0] === 'schema') return 0;
  if (planRequest) {
    const { runPlanCommand } = await import('./plan-file/command.js');
    return runPlanCommand(planRequest.file, (await mergeOptions(cmd, undefined)).merged, { concurrency: planRequest.concurrency, assertWritable });
  }

  const { merged, label } = await mergeOptions(cmd, partner, onFormat);
  const plan = buildPlan(merged, { env: process.env, stdoutIsTTY: process.stdout.isTTY === true, label });
  assertWritable(plan);
  if (plan.ldap?.insecure && !plan.quiet) process.stderr.write('dhcp-failover-check: warning: --ldap-insecure: the directory server certificate is not verified\n');

  const interrupt = onInterrupt();

  const progress = createProgress(process.stderr, process.stderr.isTTY === true && !process.env.CI && !plan.quiet && plan.format === 'human');
  try {
    const report = await runPairing(plan, interrupt.signal, { onStart: (ids) => progress.start(ids), onDone: (r) => progress.done(r.id) }, interrupt.exitCode);
    progress.stop();
    const options = { color: plan.color, verbose: plan.verbose };
    const exitCode = plan.format === 'nagios' ? (await import('./report/nagios.js')).nagiosExitCode(report) : report.exitCode;
    // Wrapped only for a terminal: piped text stays one line per message, for grep.
    const width = process.stdout.isTTY ? process.stdout.columns : undefined;
    const delivered = await deliver(await render(plan.format, report, width ? { ...options, width } : options), plan.outputs, (format) => render(format, report, { ...options, color: false }));
    return delivered ? exitCode : plan.format === 'nagios' ? 3 : EXIT.usage;
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
