import { CHECK_IDS } from './checks/ids.js';
import { FORMATS } from './plan.js';
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
}

export const OPTIONS = [
  { key: 'partner', type: 'string', scope: 'server', serverKey: 'address', role: 'partner', description: 'DNS name or IP address of the failover partner (the command line: the one operand)' },
  // Not variadic: `--scope 10.0.10.0 dhcp2` must leave the partner to be the partner.
  { key: 'scopes', flags: '-s, --scope <scopes>', type: 'list', scope: 'pairing', description: 'scope to be shared: 10.0.0.0 or 10.0.0.0/24; repeatable or comma-separated (default: every scope of the local server)' },
  { key: 'relationshipName', flags: '--relationship-name <name>', type: 'string', scope: 'pairing', description: 'name of the failover relationship to be created (Windows: it must be free on both servers and at most 126 characters)' },
  { key: 'local', flags: '--local <host>', type: 'string', scope: 'server', serverKey: 'address', role: 'local', description: 'the local (primary) server (default: this machine)' },
  { key: 'localSource', flags: '--local-source <spec>', type: 'string', scope: 'server', serverKey: 'source', role: 'local', description: `facts about the local server: ${SPEC_FORMS}` },
  { key: 'partnerSource', flags: '--partner-source <spec>', type: 'string', scope: 'server', serverKey: 'source', role: 'partner', description: 'facts about the partner (same forms as --local-source)' },
  { key: 'localNtp', flags: '--local-ntp <host[:port]>', type: 'string', scope: 'server', serverKey: 'ntp', role: 'local', description: "NTP endpoint for the local server's clock (default: this machine's clock, or <local>:123)" },
  { key: 'partnerNtp', flags: '--partner-ntp <host[:port]>', type: 'string', scope: 'server', serverKey: 'ntp', role: 'partner', description: "NTP endpoint for the partner's clock (default: <partner address>:123)" },
  {
    key: 'localSmb',
    flags: '--local-smb <host[:port]>',
    type: 'string',
    scope: 'server',
    serverKey: 'smb',
    role: 'local',
    description: "SMB2 endpoint whose NEGOTIATE reply gives the local server's clock (default: <local>:445 for a Windows server)",
  },
  { key: 'partnerSmb', flags: '--partner-smb <host[:port]>', type: 'string', scope: 'server', serverKey: 'smb', role: 'partner', description: "SMB2 endpoint for the partner's clock (default: <partner address>:445 for a Windows partner)" },
  { key: 'maxTimeSkew', flags: '--max-time-skew <duration>', type: 'duration', scope: 'global', description: 'permissible clock difference, e.g. 60s, 1m (default 1m)' },
  { key: 'failoverPort', flags: '--failover-port <port>', type: 'port', scope: 'global', description: "TCP port of the failover protocol (default: the platform's: 647; for a Kea partner, its HA URL's port)" },
  { key: 'timeout', flags: '--timeout <duration>', type: 'duration', scope: 'global', description: 'bound for each probe (default 5s)' },
  { key: 'only', flags: '--only <ids>', type: 'checks', scope: 'global', description: `run only these checks (comma-separated or repeated): ${CHECK_IDS.join(' ')}` },
  { key: 'skip', flags: '--skip <ids>', type: 'checks', scope: 'global', description: 'skip these checks' },
  { key: 'ignore', flags: '--ignore <ids>', type: 'checks', scope: 'global', description: 'report failures of these checks as warnings' },
  { key: 'format', flags: '--format <format>', type: 'format', scope: 'global', choices: FORMATS, description: 'what goes to stdout (nagios: exit codes of a monitoring plugin, see below)' },
  { key: 'output', flags: '--output <format=file>', type: 'list', scope: 'global', description: 'also write a report in that format to a file; repeatable' },
  { key: 'config', flags: '-c, --config <file>', type: 'string', scope: 'global', cliOnly: true, description: 'read these options from a JSON or YAML file (see `schema config`)' },
  { key: 'kea.user', flags: '--kea-user <name>', type: 'string', scope: 'global', description: 'Kea Control Agent user (password from KEA_PASSWORD or --kea-password-file)' },
  { key: 'kea.passwordFile', flags: '--kea-password-file <file>', type: 'string', scope: 'global', description: 'file holding the Kea agent password' },
  { key: 'kea.ca', flags: '--kea-ca <file>', type: 'string', scope: 'global', description: 'CA certificate for https Kea agents' },
  { key: 'omapiKeyFile', flags: '--omapi-key-file <file>', type: 'string', scope: 'global', description: 'file holding a dhcpd key block for OMAPI (dhcpd sources)' },
  { key: 'ldap.url', flags: '--ldap <url>', type: 'string', scope: 'global', required: true, description: 'directory to ask: ldaps://dc or ldap://dc (StartTLS)' },
  { key: 'ldap.bindDn', flags: '--ldap-bind-dn <dn>', type: 'string', scope: 'global', description: 'bind identity: a DN or user@REALM (password from LDAP_PASSWORD or --ldap-password-file)' },
  { key: 'ldap.passwordFile', flags: '--ldap-password-file <file>', type: 'string', scope: 'global', description: 'file holding the LDAP password' },
  { key: 'ldap.ca', flags: '--ldap-ca <file>', type: 'string', scope: 'global', description: 'CA certificate to verify the directory server' },
  { key: 'ldap.insecure', flags: '--ldap-insecure', type: 'boolean', scope: 'global', description: 'do not verify the directory server certificate (labs only)' },
  { key: 'ldap.base', flags: '--ldap-base <dn>', type: 'string', scope: 'global', description: 'search base (default: from the rootDSE)' },
  { key: 'ldap.user', flags: '--user <name>', type: 'string', scope: 'global', description: 'whose rights to check: sAMAccountName, UPN or DN (default: the bind identity)' },
  { key: 'ldap.adminGroup', flags: '--admin-group <name>', type: 'string', scope: 'global', description: 'group that may administer DHCP (default "DHCP Administrators")' },
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
type NestedObject<P extends string> = { [E in Exclude<Inner<P>, { required: true }> as E['key'] extends `${P}.${infer K}` ? K : never]?: ValueOf<E['type']> } & ([Required<P>] extends [never]
  ? unknown
  : { [E in Required<P> as E['key'] extends `${P}.${infer K}` ? K : never]: ValueOf<E['type']> });

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

/** The long flag of a spec: `--scope`, `--no-color`. */
export function longFlag(spec: OptionSpec): string | undefined {
  return spec.flags === undefined ? undefined : /--[\w-]+/.exec(spec.flags)![0];
}

/** commander's camelCase attribute for a flag: `--kea-password-file` is keaPasswordFile, `--no-color` color. */
export function attributeOf(spec: OptionSpec): string | undefined {
  const long = longFlag(spec);
  if (long === undefined) return undefined;
  return long.slice(2).replace(/^no-/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** A plan file's server: its address and the per-server options under their server keys. */
export type ServerInput = { address: string } & { [E in Exclude<Extract<Entry, { scope: 'server' }>, { serverKey: 'address' }> as E['serverKey']]?: ValueOf<E['type']> };
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
  return longFlag(BY_KEY.get(key) ?? { key, type: 'string', scope: 'global', description: '' }) ?? key;
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
