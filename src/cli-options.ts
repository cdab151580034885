import { CHECK_IDS } from './checks/ids.js';
import { FORMATS } from './plan.js';
import { SPEC_FORMS } from './sources/kinds.js';

// The CLI's options, once: commander's program (cli-program.ts), the plain-invocation reader
// below, `--help` and the README test all derive from this table.

export interface CliOption {
  /** As commander takes them: '-s, --scope <scopes>', '--ldap-insecure', '--no-color'. */
  flags: string;
  description: string;
  /** Repeatable: every value is kept, in order (commander's collect). */
  list?: true;
  choices?: readonly string[];
}

export const CLI_OPTIONS: readonly CliOption[] = [
  // Not variadic: `--scope 10.0.10.0 dhcp2` must leave the partner to be the partner.
  { flags: '-s, --scope <scopes>', description: 'scope to be shared: 10.0.0.0 or 10.0.0.0/24; repeatable or comma-separated (default: every scope of the local server)', list: true },
  { flags: '--local <host>', description: 'the local (primary) server (default: this machine)' },
  { flags: '--local-source <spec>', description: `facts about the local server: ${SPEC_FORMS}` },
  { flags: '--partner-source <spec>', description: 'facts about the partner (same forms as --local-source)' },
  { flags: '--local-ntp <host[:port]>', description: "NTP endpoint for the local server's clock (default: this machine's clock, or <local>:123)" },
  { flags: '--partner-ntp <host[:port]>', description: "NTP endpoint for the partner's clock (default: <partner address>:123)" },
  { flags: '--local-smb <host[:port]>', description: "SMB2 endpoint whose NEGOTIATE reply gives the local server's clock (default: <local>:445 for a Windows server)" },
  { flags: '--partner-smb <host[:port]>', description: "SMB2 endpoint for the partner's clock (default: <partner address>:445 for a Windows partner)" },
  { flags: '--max-time-skew <duration>', description: 'permissible clock difference, e.g. 60s, 1m (default 1m)' },
  { flags: '--failover-port <port>', description: "TCP port of the failover protocol (default: the platform's: 647; for a Kea partner, its HA URL's port)" },
  { flags: '--timeout <duration>', description: 'bound for each probe (default 5s)' },
  { flags: '--only <ids>', description: `run only these checks (comma-separated or repeated): ${CHECK_IDS.join(' ')}`, list: true },
  { flags: '--skip <ids>', description: 'skip these checks', list: true },
  { flags: '--ignore <ids>', description: 'report failures of these checks as warnings', list: true },
  { flags: '--format <format>', description: 'what goes to stdout (nagios: exit codes of a monitoring plugin, see below)', choices: FORMATS },
  { flags: '--output <format=file>', description: 'also write a report in that format to a file; repeatable', list: true },
  { flags: '-c, --config <file>', description: 'read these options from a JSON or YAML file (see `schema config`)' },
  { flags: '--kea-user <name>', description: 'Kea Control Agent user (password from KEA_PASSWORD or --kea-password-file)' },
  { flags: '--kea-password-file <file>', description: 'file holding the Kea agent password' },
  { flags: '--kea-ca <file>', description: 'CA certificate for https Kea agents' },
  { flags: '--omapi-key-file <file>', description: 'file holding a dhcpd key block for OMAPI (dhcpd sources)' },
  { flags: '--ldap <url>', description: 'directory to ask: ldaps://dc or ldap://dc (StartTLS)' },
  { flags: '--ldap-bind-dn <dn>', description: 'bind identity: a DN or user@REALM (password from LDAP_PASSWORD or --ldap-password-file)' },
  { flags: '--ldap-password-file <file>', description: 'file holding the LDAP password' },
  { flags: '--ldap-ca <file>', description: 'CA certificate to verify the directory server' },
  { flags: '--ldap-insecure', description: 'do not verify the directory server certificate (labs only)' },
  { flags: '--ldap-base <dn>', description: 'search base (default: from the rootDSE)' },
  { flags: '--user <name>', description: 'whose rights to check: sAMAccountName, UPN or DN (default: the bind identity)' },
  { flags: '--admin-group <name>', description: 'group that may administer DHCP (default "DHCP Administrators")' },
  { flags: '--no-color', description: 'no colours (NO_COLOR is honoured too)' },
  { flags: '-q, --quiet', description: 'no progress line and no warnings on stderr' },
  { flags: '-v, --verbose', description: 'show details of passing checks too' },
];

/** The subcommands (cli-program.ts declares them): a word among the operands that names one is commander's to read. */
export const SUBCOMMANDS = ['schema', 'plan', 'help'] as const;

/** What the command line said, however it was read. */
export interface CliArgs {
  /** commander's opts(): camelCase keys; lists for repeatable options; `color: false` for --no-color. */
  opts: Record<string, unknown>;
  partner?: string;
  /** --no-color was given (commander: getOptionValueSource('color') === 'cli'). */
  noColor: boolean;
}

interface Shape {
  key: string;
  value: boolean;
  negate: boolean;
  option: CliOption;
}

const SHAPES = (() => {
  const byFlag = new Map<string, Shape>();
  for (const option of CLI_OPTIONS) {
    const m = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(option.flags);
    if (!m) throw new Error(`cli-options: cannot read flags ${option.flags}`);
    const [, short, long] = m as unknown as [string, string | undefined, string];
    const negate = long.startsWith('no-');
    const shape = { key: camel(negate ? long.slice(3) : long), value: option.flags.includes('<'), negate, option };
    byFlag.set(`--${long}`, shape);
    if (short) byFlag.set(`-${short}`, shape);
  }
  return byFlag;
})();

function camel(name: string): string {
  return name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads the command line the way commander would, for the plain invocations that nearly every
 * run is: known options as `--name value`, `--name=value` or `-x value`, and at most one partner.
 * Anything else (help, --version, a subcommand, an unknown or malformed option, `--`, a value that
 * looks like an option, a second operand) is undefined, and commander reads it and words its
 * mistakes. Loading and building commander's program is a large share of a plain run's start-up;
 * test/unit/cli-options.test.ts holds this reader to commander's result wherever it answers.
 */
export function plainArgs(argv: readonly string[]): CliArgs | undefined {
  const opts: Record<string, unknown> = { color: true };
  let partner: string | undefined;
  let noColor = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-')) {
      if (partner !== undefined || (SUBCOMMANDS as readonly string[]).includes(token)) return undefined;
      partner = token;
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1; // '-' alone: no such flag, commander's
    const shape = SHAPES.get(eq === -1 ? token : token.slice(0, eq));
    if (!shape) return undefined;
    if (!shape.value) {
      if (eq !== -1) return undefined;
      if (shape.negate) noColor = true;
      opts[shape.key] = !shape.negate;
      continue;
    }
    let value: string;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = next;
      i++;
    }
    if (shape.option.choices && !shape.option.choices.includes(value)) return undefined;
    opts[shape.key] = shape.option.list ? [...((opts[shape.key] as string[] | undefined) ?? []), value] : value;
  }
  return { opts, ...(partner !== undefined ? { partner } : {}), noColor };
}
