import { CHECK_IDS } from './checks/ids.js';
import { FORMATS, PHASES } from './plan.js';
import { SPEC_FORMS } from './sources/kinds.js';

// Every option, once: its flag, its config key, where a plan file may set it, its type and its
// help. commander's program and the plain reader (cli-options.ts), `--help`, the config and plan
// schemas (config-schema.ts, plan-file/schema.ts), the labels of error messages and the README's
// table (held by a test) all derive from this table. No zod here: a plain run never loads it.

/** How a value is typed in a config file; the command line always gives strings. */
export type OptionType = 'string' | 'list' | 'boolean' | 'duration' | 'port' | 'format' | 'checks';

/**
 * Where a plan file sets an option: `global` under `options:` (for every pairing), `server` on
 * each server (`local*`/`partner*` pairs become one server key), `pairing` on each pairing.
 */
export type OptionScope = 'global' | 'server' | 'pairing';

export interface OptionSpec {
  /** Config key, dotted when nested (`kea.user`); the library's option of the same name. */
  key: string;
  /** As commander takes them: '-s, --scope <scopes>', '--ldap-insecure'; undefined: not a flag. */
  flags?: string;
  type: OptionType;
  scope: OptionScope;
  /** For a `server` option: the key a plan's server gives it (`source` for localSource/partnerSource). */
  serverKey?: string;
  /** For a `server` option: whose it is. */
  role?: 'local' | 'partner';
  description: string;
  choices?: readonly string[];
  /** Required within its nested object (ldap.url). */
  required?: true;
  /** Only the command line has it (`--config` names the file itself). */
  cliOnly?: true;
  /** More for the README's option table (Markdown), after the description. */
  details?: string;
}

export const OPTIONS = [
  {
    key: 'partner',
    type: 'string',
    scope: 'server',
    serverKey: 'address',
    role: 'partner',
    description: 'DNS name or IP address of the failover partner (the command line: the one operand)',
    details: 'No `:port`: a `host:port` partner is refused with a hint to use `--failover-port`.',
  },
  // Not variadic: `--scope 10.0.10.0 dhcp2` must leave the partner to be the partner.
  {
    key: 'scopes',
    flags: '-s, --scope <scopes>',
    type: 'list',
    scope: 'pairing',
    description: 'scope to be shared: 10.0.0.0 or 10.0.0.0/24; repeatable or comma-separated (default: every scope of the local server)',
    details:
      'One value per flag, so `--scope 10.0.10.0 dhcp2` leaves `dhcp2` the partner; a repeated scope is one scope; an empty element (`A,,B`) is refused.',
  },
  {
    key: 'relationshipName',
    flags: '--relationship-name <name>',
    type: 'string',
    scope: 'pairing',
    description: 'name of the failover relationship to be created (Windows: it must be free on both servers and at most 126 characters)',
  },
  {
    key: 'local',
    flags: '--local <host>',
    type: 'string',
    scope: 'server',
    serverKey: 'address',
    role: 'local',
    description: 'the local (primary) server (default: this machine)',
  },
  {
    key: 'localSource',
    flags: '--local-source <spec>',
    type: 'string',
    scope: 'server',
    serverKey: 'source',
    role: 'local',
    description: `facts about the local server: ${SPEC_FORMS}`,
  },
  {
    key: 'partnerSource',
    flags: '--partner-source <spec>',
    type: 'string',
    scope: 'server',
    serverKey: 'source',
    role: 'partner',
    description: 'facts about the partner (same forms as --local-source)',
  },
  {
    key: 'localNtp',
    flags: '--local-ntp <host[:port]>',
    type: 'string',
    scope: 'server',
    serverKey: 'ntp',
    role: 'local',
    description: "NTP endpoint for the local server's clock (default: this machine's clock, or <local>:123)",
  },
  {
    key: 'partnerNtp',
    flags: '--partner-ntp <host[:port]>',
    type: 'string',
    scope: 'server',
    serverKey: 'ntp',
    role: 'partner',
    description: "NTP endpoint for the partner's clock (default: <partner address>:123)",
  },
  {
    key: 'localSmb',
    flags: '--local-smb <host[:port]>',
    type: 'string',
    scope: 'server',
    serverKey: 'smb',
    role: 'local',
    description: "SMB2 endpoint whose NEGOTIATE reply gives the local server's clock (default: <local>:445 for a Windows server)",
    details: 'Also asked for any server whose NTP does not answer; see *Time*.',
  },
  {
    key: 'partnerSmb',
    flags: '--partner-smb <host[:port]>',
    type: 'string',
    scope: 'server',
    serverKey: 'smb',
    role: 'partner',
    description: "SMB2 endpoint for the partner's clock (default: <partner address>:445 for a Windows partner)",
    details: 'Also asked for any server whose NTP does not answer; see *Time*.',
  },
  {
    key: 'maxTimeSkew',
    flags: '--max-time-skew <duration>',
    type: 'duration',
    scope: 'global',
    description:
      "permissible clock difference, e.g. 60s, 1m (default 1m); it can only tighten the servers' own limits (Windows DhcpMsgSyncDeltaTime, default 1m; Kea HA 60s; dhcpd 60s)",
  },
  {
    key: 'phase',
    flags: '--phase <phase>',
    type: 'string',
    scope: 'global',
    choices: PHASES,
    description:
      'before-deploy: judge what configuration files prove, and skip what only running servers answer; live: insist on running servers (default: a server known only from configuration is before deploy)',
  },
  {
    key: 'keaVersion',
    flags: '--kea-version <version>',
    type: 'string',
    scope: 'global',
    description: 'the Kea version a kea-config: file will be deployed on, e.g. 2.6 (default: judge its HA rules for every supported version)',
  },
  {
    key: 'failoverPort',
    flags: '--failover-port <port>',
    type: 'port',
    scope: 'global',
    description: "TCP port of the failover protocol (default: the platform's: 647; for a Kea partner, its HA URL's port)",
  },
  { key: 'timeout', flags: '--timeout <duration>', type: 'duration', scope: 'global', description: 'bound for each probe (default 5s)' },
  {
    key: 'only',
    flags: '--only <ids>',
    type: 'checks',
    scope: 'global',
    description: `run only these checks (comma-separated or repeated): ${CHECK_IDS.join(' ')}`,
    details: 'Not together with `--skip`; a layer (command line over config file over plan options) that sets either replaces both.',
  },
  { key: 'skip', flags: '--skip <ids>', type: 'checks', scope: 'global', description: 'skip these checks' },
  {
    key: 'ignore',
    flags: '--ignore <ids>',
    type: 'checks',
    scope: 'global',
    description: 'report failures of these checks as warnings',
    details: "Like kubeadm's `--ignore-preflight-errors`.",
  },
  {
    key: 'format',
    flags: '--format <format>',
    type: 'format',
    scope: 'global',
    choices: FORMATS,
    description: 'what goes to stdout (nagios: exit codes of a monitoring plugin, see below)',
    details:
      "`github` prints GitHub Actions workflow commands (an `::error` per failed or undetermined check, a `::warning` per warning, the verdict as a `::notice`); `markdown` is a GitHub-flavoured table for change tickets and `$GITHUB_STEP_SUMMARY`; `nagios` is a monitoring plugin's output **with the plugin's exit codes** (see *Monitoring*).",
  },
  {
    key: 'output',
    flags: '--output <format=file>',
    type: 'list',
    scope: 'global',
    description: 'also write a report in that format to a file; repeatable',
    details: 'A file that cannot be written is one line naming it and the cause, exit 2, after the report on stdout was written whole.',
  },
  {
    key: 'config',
    flags: '-c, --config <file>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: 'read these options from a JSON or YAML file (see `schema config`)',
    details: 'Validated; see `schema config`. Flags override its keys one by one; given twice it is refused.',
  },
  {
    key: 'kea.user',
    flags: '--kea-user <name>',
    type: 'string',
    scope: 'global',
    description: 'Kea Control Agent user (password from KEA_PASSWORD or --kea-password-file)',
    details: 'See *Kea*.',
  },
  { key: 'kea.passwordFile', flags: '--kea-password-file <file>', type: 'string', scope: 'global', description: 'file holding the Kea agent password' },
  { key: 'kea.ca', flags: '--kea-ca <file>', type: 'string', scope: 'global', description: 'CA certificate for https Kea agents' },
  {
    key: 'omapiKeyFile',
    flags: '--omapi-key-file <file>',
    type: 'string',
    scope: 'global',
    description: 'file holding a dhcpd key block for OMAPI (dhcpd sources)',
    details: 'Signs the OMAPI requests of `dhcpd:` sources (see *ISC dhcpd*).',
  },
  {
    key: 'ldap.url',
    flags: '--ldap <url>',
    type: 'string',
    scope: 'global',

    description: 'directory to ask: ldaps://dc or ldap://dc (StartTLS)',
    details: 'See *Directory*.',
  },
  {
    key: 'ldap.bindDn',
    flags: '--ldap-bind-dn <dn>',
    type: 'string',
    scope: 'global',
    description: 'bind identity: a DN or user@REALM (password from LDAP_PASSWORD or --ldap-password-file)',
  },
  { key: 'ldap.passwordFile', flags: '--ldap-password-file <file>', type: 'string', scope: 'global', description: 'file holding the LDAP password' },
  { key: 'ldap.ca', flags: '--ldap-ca <file>', type: 'string', scope: 'global', description: 'CA certificate to verify the directory server' },
  {
    key: 'ldap.insecure',
    flags: '--ldap-insecure',
    type: 'boolean',
    scope: 'global',
    description: 'do not verify the directory server certificate (labs only)',
  },
  { key: 'ldap.base', flags: '--ldap-base <dn>', type: 'string', scope: 'global', description: 'search base (default: from the rootDSE)' },
  {
    key: 'ldap.user',
    flags: '--user <name>',
    type: 'string',
    scope: 'global',
    description:
      "whose rights to check: sAMAccountName, UPN or DN (default: the bind identity, else the Identity in the local bundle); judged by the directory, or without --ldap by the partner bundle's LocalGroups",
  },
  {
    key: 'ldap.adminGroup',
    flags: '--admin-group <name>',
    type: 'string',
    scope: 'global',
    description: 'group that may administer DHCP (default "DHCP Administrators")',
  },
  { key: 'color', flags: '--no-color', type: 'boolean', scope: 'global', description: 'no colours (NO_COLOR, FORCE_COLOR=0 and TERM=dumb are honoured too)' },
  { key: 'quiet', flags: '-q, --quiet', type: 'boolean', scope: 'global', description: 'no progress line and no warnings on stderr' },
  { key: 'verbose', flags: '-v, --verbose', type: 'boolean', scope: 'global', description: 'show details of passing checks too' },
] as const satisfies readonly OptionSpec[];

// The config file's (and preflight()'s) TypeScript type, derived from the table above.
type Entry = (typeof OPTIONS)[number];
type ValueOf<T extends OptionType> = T extends 'string'
  ? string
  : T extends 'list' | 'checks'
    ? string | string[]
    : T extends 'boolean'
      ? boolean
      : T extends 'duration'
        ? string | number
        : T extends 'port'
          ? number
          : T extends 'format'
            ? (typeof FORMATS)[number]
            : never;
type Flat = Exclude<Entry, { key: `${string}.${string}` } | { cliOnly: true }>;
type Dotted = Extract<Entry, { key: `${string}.${string}` }>;
type Head<K> = K extends `${infer H}.${string}` ? H : never;
type Inner<P extends string> = Extract<Dotted, { key: `${P}.${string}` }>;
type Required<P extends string> = Extract<Inner<P>, { required: true }>;
type NestedObject<P extends string> = {
  [E in Exclude<Inner<P>, { required: true }> as E['key'] extends `${P}.${infer K}` ? K : never]?: ValueOf<E['type']>;
} & ([Required<P>] extends [never] ? unknown : { [E in Required<P> as E['key'] extends `${P}.${infer K}` ? K : never]: ValueOf<E['type']> });

/** Every option as a config file or preflight() gives it (camelCase keys, nested `kea` and `ldap`). */
export type ConfigInput = { $schema?: string } & { [E in Flat as E['key']]?: ValueOf<E['type']> } & { [P in Head<Dotted['key']>]?: NestedObject<P> };

/** The options of `plan <file>` alone. */
export const PLAN_COMMAND_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'concurrency',
    flags: '--concurrency <n>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: 'pairings worked on at the same time (default 8); one waiting on a silent server gives its place to the next',
  },
];

/** The options of `migrate` alone (dhcpd failover pair → Kea HA pair). */
export const MIGRATE_COMMAND_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'from',
    flags: '--from <specs>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    required: true,
    description: 'the dhcpd failover pair: dhcpd:<primary.conf>,dhcpd:<secondary.conf>',
  },
  {
    key: 'to',
    flags: '--to <specs>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: 'the Kea pair meant to replace it: kea-config:<a>,kea-config:<b> (in --from order); checked to serve what the dhcpd pair served',
  },
  {
    key: 'haPort',
    flags: '--ha-port <port>',
    type: 'port',
    scope: 'global',
    cliOnly: true,
    description: "the port in the Kea HA peer URLs (default 8000; the HA hook's own listener)",
  },
  {
    key: 'names',
    flags: '--names <a,b>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: "the Kea server names, in --from order (default: each conf's file name without .conf)",
  },
  {
    key: 'hooksDir',
    flags: '--hooks-dir <dir>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: "where Kea's hook libraries are (default /usr/lib/x86_64-linux-gnu/kea/hooks)",
  },
  {
    key: 'outDir',
    flags: '--out-dir <dir>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description: 'write <dir>/<name>.json per server instead of one document on stdout; an existing file is replaced only by identical content',
  },
  {
    key: 'merge',
    flags: '--merge <files>',
    type: 'string',
    scope: 'global',
    cliOnly: true,
    description:
      "keama's outputs for the two servers (a.json,b.json in --from order): write full Kea configurations with the HA hooks in each Dhcp4 (needs --out-dir)",
  },
];

/** The long flag of a spec: `--scope`, `--no-color`. */
export function longFlag(spec: Pick<OptionSpec, 'flags'>): string | undefined {
  const { flags } = spec;
  if (flags === undefined) return undefined;
  // '--scope' of '-s, --scope <scopes>': string work, not a regular expression, for each option
  // of every run's command line.
  const start = flags.indexOf('--');
  const end = flags.indexOf(' ', start);
  return flags.slice(start, end === -1 ? undefined : end);
}

/** The flags a spec is given by: `['-s', '--scope']`, `['--timeout']`; none without flags. */
export function flagNames(spec: Pick<OptionSpec, 'flags'>): string[] {
  const long = longFlag(spec);
  if (long === undefined) return [];
  // '-s, --scope <scopes>': a short flag comes first, before ', '.
  return spec.flags!.startsWith('-') && !spec.flags!.startsWith('--') ? [spec.flags!.slice(0, 2), long] : [long];
}

/** commander's camelCase attribute for a flag: `--kea-password-file` is keaPasswordFile, `--no-color` color. */
export function attributeOf(spec: Pick<OptionSpec, 'flags'>): string | undefined {
  const long = longFlag(spec);
  if (long === undefined) return undefined;
  const name = long.startsWith('--no-') ? long.slice(5) : long.slice(2);
  let out = '';
  for (let i = 0; i < name.length; i++) {
    // A hyphen before a letter or digit goes, and the letter is capitalised.
    if (name[i] === '-' && i + 1 < name.length && /\w/.test(name[i + 1]!)) out += name[++i]!.toUpperCase();
    else out += name[i];
  }
  return out;
}

/** A plan file's server: its address and the per-server options under their server keys. */
export type ServerInput = { address: string } & {
  [E in Exclude<Extract<Entry, { scope: 'server' }>, { serverKey: 'address' }> as E['serverKey']]?: ValueOf<E['type']>;
};
/** A plan file's pairing: its two servers' names and the per-pairing options. */
export type PairingInput = { local: string; partner: string } & { [E in Extract<Entry, { scope: 'pairing' }> as E['key']]?: ValueOf<E['type']> };
/** A plan file's `options:`: what applies to every pairing. */
export type GlobalInput = Omit<ConfigInput, Extract<Entry, { scope: 'server' | 'pairing' }>['key']>;

/** The table as plain specs (the literal types above are for ConfigInput only). */
export const ALL_OPTIONS: readonly OptionSpec[] = OPTIONS;

const BY_KEY = new Map<string, OptionSpec>(OPTIONS.map((o) => [o.key, o]));

export function optionOf(key: string): OptionSpec | undefined {
  return BY_KEY.get(key);
}

/** How the command line names a config key: its flag, `<partner>` for the operand. */
export function flagOf(key: string): string {
  if (key === 'partner') return '<partner>';
  const spec = BY_KEY.get(key);
  return (spec && longFlag(spec)) ?? key;
}

/** The top-level config keys and, for nested ones, the keys inside each object. */
export function configShape(): { top: OptionSpec[]; nested: Map<string, OptionSpec[]> } {
  const top: OptionSpec[] = [];
  const nested = new Map<string, OptionSpec[]>();
  for (const o of OPTIONS as readonly OptionSpec[]) {
    if (o.cliOnly) continue;
    const dot = o.key.indexOf('.');
    if (dot === -1) top.push(o);
    else nested.set(o.key.slice(0, dot), [...(nested.get(o.key.slice(0, dot)) ?? []), o]);
  }
  return { top, nested };
}
