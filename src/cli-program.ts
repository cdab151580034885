import { Command, CommanderError, Option } from 'commander';
import { CLI_OPTIONS, SUBCOMMANDS, type CliArgs } from './cli-options.js';
import { didYouMean } from './util/did-you-mean.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { addMigrateCommand, type MigrateRequest } from './migrate/subcommand.js';
import { addPlanCommand, type PlanRequest } from './plan-file/subcommand.js';
import { toolInfo } from './report/build.js';
import { InputError } from './util/errors.js';
import { queueStdout } from './util/stdout.js';

// commander's reading of the command line: help, --version, the subcommands, and the words for
// every mistake. Loaded only when cli-options.ts' plainArgs() leaves the command line to it.

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function program(): Command {
  const cmd = new Command('dhcp-failover-check')
    .description('Preflight checks before pairing two DHCP servers for failover / high availability')
    .version(toolInfo().version, '--version')
    .argument('[partner]', 'DNS name or IPv4 address of the failover partner');
  for (const o of CLI_OPTIONS) {
    const option = new Option(o.flags, o.description);
    if (o.list) option.argParser(collect);
    if (o.choices) option.choices(o.choices);
    cmd.addOption(option);
  }
  cmd
    .addHelpText(
      'after',
      `\n${EXIT_CODES_HELP}\n${NAGIOS_HELP}\n\nPlan files: dhcp-failover-check plan <file> [--concurrency n]\nFrom dhcpd to Kea: dhcp-failover-check migrate --from dhcpd:<primary.conf>,dhcpd:<secondary.conf> [--to kea-config:<a>,kea-config:<b>]\nSchemas: dhcp-failover-check schema <config|inventory|report|plan|plan-report>\nCollector: dhcp-failover-check collector windows > windows.ps1`,
    )
    .exitOverride()
    .configureOutput({ writeOut: queueStdout, writeErr: () => {} })
    .showHelpAfterError(false);
  cmd
    .command('schema <document>')
    .description('print the JSON Schema of config, inventory, report, plan or plan-report')
    .action(async (doc: string) => {
      queueStdout((await import('./schema.js')).jsonSchemaOf(doc));
    });
  cmd
    .command('collector <platform>')
    .description('print the collector script that writes a source file (windows: the windows-json bundle)')
    .action(async (platform: string) => {
      queueStdout(await (await import('./collector.js')).collectorText(platform));
    });
  return cmd;
}

const NAGIOS_HELP = `With --format nagios the exit code is the monitoring plugin's instead:
  0 OK, 1 WARNING, 2 CRITICAL (a check failed), 3 UNKNOWN (undetermined, interrupted or a bad invocation)`;

/** What commander made of the command line: answered already (help, --version, schema), a plan file to run, or a pairing to check. */
export type CommanderReading = { answered: true } | { plan: PlanRequest; args: CliArgs } | { migrate: MigrateRequest } | { run: CliArgs };

export async function readWithCommander(argv: string[]): Promise<CommanderReading> {
  const cmd = program();
  let planRequest: PlanRequest | undefined;
  addPlanCommand(cmd, (request) => (planRequest = request));
  let migrateRequest: MigrateRequest | undefined;
  addMigrateCommand(cmd, (request) => (migrateRequest = request));
  let partner: string | undefined;
  cmd.action((p: string | undefined) => {
    partner = p;
  });
  try {
    await cmd.parseAsync(helpAlias(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return { answered: true }; // --help, --version
      // "--kea-password=S3cret" is an unknown option whose value may be a secret: never echo it.
      throw new InputError(err.message.replace(/^error: /, '').replace(/'(--?[^'=\s]+)=[^']*'/g, "'$1=…'"));
    }
    throw err;
  }
  if (cmd.args[0] === 'schema' || cmd.args[0] === 'collector') return { answered: true };
  if (migrateRequest) return { migrate: migrateRequest };
  const args: CliArgs = { opts: cmd.opts<Record<string, unknown>>(), noColor: cmd.getOptionValueSource('color') === 'cli' };
  if (planRequest) return { plan: planRequest, args };
  return { run: { ...args, ...(partner !== undefined ? { partner } : {}) } };
}

/** `help` and `help schema` are help, not a partner named "help". */
function helpAlias(argv: string[]): string[] {
  if (argv[0] !== 'help') return argv;
  const topic = argv[1];
  if (topic !== undefined && !(SUBCOMMANDS as readonly string[]).includes(topic)) {
    const guess = didYouMean(
      topic,
      SUBCOMMANDS.filter((c) => c !== 'help'),
    );
    throw new InputError(
      `help: unknown command "${topic}" (${guess ? `did you mean ${guess}? ` : ''}commands: ${SUBCOMMANDS.filter((c) => c !== 'help').join(', ')})`,
    );
  }
  return argv.length > 1 ? [...argv.slice(1), '--help'] : ['--help'];
}
