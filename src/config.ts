import { dirname, resolve } from 'node:path';
import { CHECK_IDS, type CheckId } from './checks/ids.js';
import { flagOf, type ConfigInput } from './options.js';
import type { Label } from './options-merge.js';
import {
  FORMATS,
  PHASES,
  type Phase,
  type Endpoint,
  type Format,
  type OutputSettings,
  type ResolvedOptions,
  type ScopeRequest,
  type SourceSpec,
} from './plan.js';
import { SOURCE_KINDS, SOURCE_KIND_NAMES, SPEC_FORMS, isFileKind, type SourceKind } from './sources/kinds.js';
import { parseScopeRequest } from './net/scope.js';
import { isHostSyntax, notAHost } from './net/host.js';
import { looksLikeIPv4, parseIPv4 } from './net/ipv4.js';
import { MAX_DURATION_MS, parseDuration } from './util/duration.js';
import { InputError } from './util/errors.js';
import { DEFAULT_INPUT_DEADLINE, readGuardedText, type InputDeadline } from './util/read-guarded.js';
import { redactUserinfo } from './util/redact.js';
import { registerCredentials, registerSecret } from './util/secrets.js';
import { colourWanted } from './util/colour-env.js';

/**
 * How long a config or plan file that is a pipe may take: the --timeout given with it, else the
 * default. A bad value waits for buildPlan, which names where it came from.
 */
export function fileDeadline(timeout: string | number | undefined): InputDeadline {
  try {
    const ms = typeof timeout === 'number' ? timeout * 1000 : timeout === undefined ? NaN : parseDuration(timeout, 'timeout');
    return ms > 0 && ms <= 86_400_000 ? { timeoutMs: ms } : DEFAULT_INPUT_DEADLINE;
  } catch {
    return DEFAULT_INPUT_DEADLINE;
  }
}

/** Reads a JSON or YAML config file; relative paths in it are taken relative to the file. `timeout`: --timeout, for a config that is a pipe. */
export async function readConfigFile(path: string, timeout?: string | number): Promise<ConfigInput> {
  const text = await readGuardedText(path, { purpose: 'config', ...fileDeadline(timeout) });
  // zod and yaml load only for a run with a config file.
  const [{ ConfigSchema }, { parseDocument, YAML_MAX_BYTES }] = await Promise.all([import('./config-schema.js'), import('./util/document.js')]);
  const config = await parseDocument(path, text, ConfigSchema, { maxYamlBytes: YAML_MAX_BYTES });
  return rebase(config, dirname(resolve(path)));
}

export function rebase(config: ConfigInput, dir: string): ConfigInput {
  const file = (p: string | undefined) => (p === undefined ? undefined : resolve(dir, p));
  const source = (spec: string | undefined) => {
    const m = spec === undefined ? null : /^([a-z-]+):(.+)$/.exec(spec);
    const kind = m?.[1] as SourceKind | undefined;
    return m && kind !== undefined && kind in SOURCE_KINDS && isFileKind(kind) ? `${kind}:${resolve(dir, m[2]!)}` : spec;
  };
  return {
    ...config,
    localSource: source(config.localSource),
    partnerSource: source(config.partnerSource),
    output: toList(config.output, 'output')?.map((o) => o.replace(/^([^=]+)=(.+)$/, (_, f: string, p: string) => `${f}=${resolve(dir, p)}`)),
    omapiKeyFile: file(config.omapiKeyFile),
    kea: config.kea && { ...config.kea, passwordFile: file(config.kea.passwordFile), ca: file(config.kea.ca) },
    ldap: config.ldap && { ...config.ldap, passwordFile: file(config.ldap.passwordFile), ca: file(config.ldap.ca) },
  };
}

/** A list option as given (repeated, comma-separated, or a YAML list); an empty element is a mistake, not nothing. */
function toList(value: string | string[] | undefined, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) =>
    v.split(',').map((item) => {
      const trimmed = item.trim();
      if (trimmed === '') throw new InputError(`${option}: empty element in "${v}"`);
      return trimmed;
    }),
  );
}

/** The same scope named twice is one scope; `10.0.0.0` beside `10.0.0.0/24` is that one too. */
function uniqueScopes(requests: ScopeRequest[] | undefined): ScopeRequest[] | undefined {
  if (!requests) return undefined;
  const byNetwork = new Map<number, ScopeRequest>();
  for (const r of requests) {
    const seen = byNetwork.get(r.network);
    if (!seen || (seen.prefix === undefined && r.prefix !== undefined)) byNetwork.set(r.network, r);
  }
  return requests.filter((r) => byNetwork.get(r.network) === r);
}

function checkIds(value: string | string[] | undefined, option: string): CheckId[] | undefined {
  const ids = toList(value, option);
  for (const id of ids ?? []) {
    if (!(CHECK_IDS as readonly string[]).includes(id)) {
      throw new InputError(`${option}: unknown check id "${id}" (known: ${CHECK_IDS.join(', ')})`);
    }
  }
  return ids as CheckId[] | undefined;
}

/** `2.6`, `2.6.1`, `3.0`: the Kea a configuration file will be deployed on. */
export function parseKeaVersion(text: string, option: string): { major: number; minor: number; text: string } {
  const m = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) throw new InputError(`${option}: "${text}" is not a Kea version such as 2.6 or 3.0.1`);
  return { major: Number(m[1]), minor: Number(m[2]), text: text.trim() };
}

export function parseSourceSpec(spec: string, option: string): SourceSpec {
  const m = /^([a-z-]+):(.+)$/.exec(spec);
  const kind = m?.[1];
  if (!m || kind === undefined) {
    throw new InputError(`${option}: "${redactUserinfo(spec)}" is not a source (expected ${SPEC_FORMS})`);
  }
  if (!(SOURCE_KIND_NAMES as string[]).includes(kind)) {
    throw new InputError(`${option}: unknown source kind "${kind}" (expected ${SOURCE_KIND_NAMES.join(', ')})`);
  }
  const known = kind as SourceKind;
  if (isFileKind(known)) return { kind: known, path: m[2]! };
  if (known === 'windows') {
    // A host name or address for -ComputerName: nothing a shell or PowerShell would read as syntax.
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(m[2]!)) throw new InputError(`${option}: "${m[2]}" is not a host name or IPv4 address`);
    return { kind: known, host: m[2]! };
  }
  let url: URL;
  try {
    url = new URL(m[2]!);
  } catch {
    throw new InputError(`${option}: "${redactUserinfo(m[2]!)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${option}: ${known} URL must be http:// or https://, got "${url.protocol}"`);
  if (url.username || url.password) throw new InputError(`${option}: put no credentials in the URL; use --kea-user and KEA_PASSWORD or --kea-password-file`);
  return { kind: known, url: url.href };
}

export function parseEndpoint(text: string, option: string, defaultPort: number): Endpoint {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
  if (!m || port < 1 || port > 65535) throw new InputError(`${option}: "${text}" is not host[:port]`);
  if (looksLikeIPv4(m[1]!) && parseIPv4(m[1]!) === undefined) throw new InputError(`${option}: "${m[1]}" is not a valid IPv4 address`);
  if (!isHostSyntax(m[1]!)) throw new InputError(`${option}: ${notAHost(m[1]!)}`);
  return { host: m[1]!, port };
}

function parseOutputs(values: string[] | undefined, option: string): OutputSettings['outputs'] {
  return (values ?? []).map((v) => {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (!m) throw new InputError(`${option}: "${v}" is not <format>=<file>`);
    if (!(FORMATS as readonly string[]).includes(m[1]!)) throw new InputError(`${option}: unknown format "${m[1]}" (expected ${FORMATS.join(', ')})`);
    return { format: m[1] as Format, path: m[2]! };
  });
}

function readSecretFile(path: string, option: string, deadline: InputDeadline, once: Map<string, Promise<string>> | undefined): Promise<string> {
  const read = once?.get(path) ?? readGuardedText(path, { purpose: 'secret', label: option, ...deadline }).then((text) => text.replace(/\r?\n$/, ''));
  once?.set(path, read);
  return read;
}

export interface BuildEnv {
  env: NodeJS.ProcessEnv;
  /** Whether the stream the main format goes to is a colour-capable terminal. */
  stdoutIsTTY: boolean;
  /**
   * How an error names the option a value came from: the flag (`--timeout`, the default), the
   * file and key (`config.yaml: timeout`), or the library option (`timeout`).
   */
  label?: Label;
  /** Secret files read so far, by path: a pipe can be read only once, and a plan's pairings share them. */
  secretsRead?: Map<string, Promise<string>>;
}

/** An error thrown under the flag's name, renamed for a value that came from elsewhere. */
function relabel<T>(key: string, label: Label, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const flag = flagOf(key);
    const name = label(key);
    if (err instanceof InputError && name !== flag && err.message.startsWith(`${flag}:`)) throw new InputError(`${name}:${err.message.slice(flag.length + 1)}`);
    throw err;
  }
}

/** Validates the merged options into a pairing's settings (reading the password files), or rejects with an InputError naming the bad value. */
export async function buildPlan(input: ConfigInput, { env, stdoutIsTTY, label = flagOf, secretsRead }: BuildEnv): Promise<ResolvedOptions> {
  // A config file was validated by its schema when read; flags arrive from commander as strings.
  // What is left to check here is checked by hand, so a run without a config file needs no zod.
  const c = input;
  const L = label;
  // An empty string is never meant: "--local ''" would otherwise ask the resolver about ''.
  for (const [key, v] of Object.entries(c) as [keyof ConfigInput, unknown][]) {
    if (v === '' || (Array.isArray(v) && v.includes(''))) throw new InputError(`${L(key)}: empty value`);
  }
  if (c.format !== undefined && !(FORMATS as readonly string[]).includes(c.format)) {
    throw new InputError(`${L('format')}: "${String(c.format)}" is not one of ${FORMATS.join(', ')}`);
  }
  if (c.phase !== undefined && !(PHASES as readonly string[]).includes(c.phase)) {
    throw new InputError(`${L('phase')}: "${String(c.phase)}" is not one of ${PHASES.join(', ')}`);
  }
  if (c.partner !== undefined && typeof c.partner !== 'string') throw new InputError(`${L('partner')}: expected a string`);
  if (c.failoverPort !== undefined && !(Number.isInteger(c.failoverPort) && c.failoverPort >= 1 && c.failoverPort <= 65535)) {
    throw new InputError(`${L('failoverPort')}: ${String(c.failoverPort)} is not a TCP port (1-65535)`);
  }
  for (const [key, v] of [
    ['timeout', c.timeout],
    ['maxTimeSkew', c.maxTimeSkew],
  ] as const) {
    if (typeof v === 'number' && !(v > 0 && v <= MAX_DURATION_MS / 1000))
      throw new InputError(`${L(key)}: ${v} must be a number of seconds above 0 and at most ${MAX_DURATION_MS / 1000} (24h)`);
  }
  if (c.partner === undefined) throw new InputError(`missing ${L('partner')}: give the partner DHCP server (DNS name or IPv4 address)`);
  // host:port, or [IPv6]:port (the brackets only a URL needs).
  const hostPort = /^([^:\s]+):(\d{1,5})$/.exec(c.partner) ?? /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(c.partner);
  if (hostPort) {
    throw new InputError(
      `${L('partner')}: "${c.partner}" names a port; give the host alone ("${hostPort[1]}") and the port with ${L('failoverPort')} ${hostPort[2]}`,
    );
  }
  const v6Port = /^\[([^\]]+)\]:(\d{1,5})$/.exec(c.partner);
  if (v6Port) {
    throw new InputError(
      `${L('partner')}: "${c.partner}" names a port; give the host alone ("${v6Port[1]}") and the port with ${L('failoverPort')} ${v6Port[2]}`,
    );
  }
  if (!looksLikeIPv4(c.partner) && !isHostSyntax(c.partner)) throw new InputError(`${L('partner')}: ${notAHost(c.partner)}`);

  const only = checkIds(c.only, L('only'));
  const skip = checkIds(c.skip, L('skip'));
  if (only && skip) throw new InputError(`${L('only')} and ${L('skip')} cannot be used together`);
  const checks = CHECK_IDS.filter((id) => (only ? only.includes(id) : !skip?.includes(id)));
  if (checks.length === 0) throw new InputError(`${L(only ? 'only' : 'skip')}: every check is skipped; nothing to do`);

  const seconds = (v: string | number | undefined, key: 'maxTimeSkew' | 'timeout', dflt: number) =>
    v === undefined ? dflt : typeof v === 'number' ? v : parseDuration(v, L(key)) / 1000;

  const plan: ResolvedOptions = {
    partner: c.partner,
    scopes: uniqueScopes(relabel('scopes', L, () => toList(c.scopes, '--scope')?.map(parseScopeRequest))),
    local: c.local,
    localSource: c.localSource === undefined ? undefined : parseSourceSpec(c.localSource, L('localSource')),
    partnerSource: c.partnerSource === undefined ? undefined : parseSourceSpec(c.partnerSource, L('partnerSource')),
    localNtp: c.localNtp === undefined ? undefined : parseEndpoint(c.localNtp, L('localNtp'), 123),
    partnerNtp: c.partnerNtp === undefined ? undefined : parseEndpoint(c.partnerNtp, L('partnerNtp'), 123),
    localSmb: c.localSmb === undefined ? undefined : parseEndpoint(c.localSmb, L('localSmb'), 445),
    partnerSmb: c.partnerSmb === undefined ? undefined : parseEndpoint(c.partnerSmb, L('partnerSmb'), 445),
    maxTimeSkewSeconds: seconds(c.maxTimeSkew, 'maxTimeSkew', 60),
    ...(c.maxTimeSkew !== undefined ? { maxTimeSkewGiven: typeof c.maxTimeSkew === 'number' ? `${c.maxTimeSkew}s` : c.maxTimeSkew } : {}),
    ...(c.phase !== undefined ? { phase: c.phase as Phase } : {}),
    ...(c.keaVersion !== undefined ? { keaVersion: parseKeaVersion(c.keaVersion, L('keaVersion')) } : {}),
    failoverPort: c.failoverPort,
    timeoutMs: seconds(c.timeout, 'timeout', 5) * 1000,
    checks,
    ignore: checkIds(c.ignore, L('ignore')) ?? [],
    format: c.format ?? 'human',
    outputs: parseOutputs(toList(c.output, L('output')), L('output')),
    color: c.color !== false && colourWanted(env, stdoutIsTTY),
    quiet: c.quiet ?? false,
    verbose: c.verbose ?? false,
    ...(c.omapiKeyFile !== undefined ? { omapiKeyFile: c.omapiKeyFile } : {}),
    ...(c.relationshipName !== undefined ? { relationshipName: c.relationshipName } : {}),
  };
  if (plan.scopes?.length === 0) throw new InputError(`${L('scopes')}: empty list`);
  if (plan.local !== undefined && looksLikeIPv4(plan.local) && parseIPv4(plan.local) === undefined) {
    throw new InputError(`${L('local')}: "${plan.local}" is not a valid IPv4 address`);
  }
  if (plan.local !== undefined && !isHostSyntax(plan.local)) throw new InputError(`${L('local')}: ${notAHost(plan.local)}`);

  // A nested key is named as the flag on the command line, as `kea.passwordFile` elsewhere.
  const N = (key: 'kea' | 'ldap', sub: string) => L(`${key}.${sub}`);
  const keaPasswordFile = N('kea', 'passwordFile');
  const deadline = { timeoutMs: plan.timeoutMs };
  const notes: string[] = [];
  // A flag outranks the environment; an empty variable is no password.
  const keaPassword = c.kea?.passwordFile
    ? await readSecretFile(c.kea.passwordFile, keaPasswordFile, deadline, secretsRead)
    : env.KEA_PASSWORD === ''
      ? undefined
      : env.KEA_PASSWORD;
  if (c.kea?.passwordFile && env.KEA_PASSWORD) notes.push(`note: both ${keaPasswordFile} and KEA_PASSWORD are set: ${keaPasswordFile} is used`);
  registerCredentials(c.kea?.user, keaPassword);
  registerSecret(env.KEA_PASSWORD);
  registerSecret(env.LDAP_PASSWORD);
  if (c.kea?.passwordFile !== undefined && c.kea.user === undefined) {
    throw new InputError(`${keaPasswordFile} needs ${N('kea', 'user')}`);
  }
  if (c.kea || keaPassword !== undefined) plan.kea = { user: c.kea?.user, password: keaPassword, caFile: c.kea?.ca };
  const ldapUrl = c.ldap?.url;
  if (c.ldap && ldapUrl === undefined) {
    // Without a directory only the user to judge (--user) means anything: against the bundles' groups.
    const needsUrl = (Object.keys(c.ldap) as (keyof typeof c.ldap)[]).find((k) => k !== 'user' && c.ldap![k] !== undefined);
    if (needsUrl !== undefined) throw new InputError(`${N('ldap', needsUrl)} needs ${N('ldap', 'url')}`);
    if (c.ldap.user !== undefined) plan.user = c.ldap.user;
  }
  if (c.ldap && ldapUrl !== undefined) {
    const url = N('ldap', 'url');
    const passwordFile = N('ldap', 'passwordFile');
    const password = c.ldap.passwordFile
      ? await readSecretFile(c.ldap.passwordFile, passwordFile, deadline, secretsRead)
      : env.LDAP_PASSWORD === ''
        ? undefined
        : env.LDAP_PASSWORD;
    if (c.ldap.passwordFile && env.LDAP_PASSWORD) notes.push(`note: both ${passwordFile} and LDAP_PASSWORD are set: ${passwordFile} is used`);
    registerCredentials(c.ldap.bindDn, password);
    if (/\/\/[^/]*@/.test(ldapUrl))
      throw new InputError(`${url}: put no credentials in the URL; use ${N('ldap', 'bindDn')} and LDAP_PASSWORD or ${passwordFile}`);
    if (!/^ldaps?:\/\/[^/\s@]+\/?$/.test(ldapUrl))
      throw new InputError(`${url}: "${redactUserinfo(ldapUrl)}" is not ldap://host[:port] or ldaps://host[:port]`);
    plan.ldap = {
      url: ldapUrl,
      bindDn: c.ldap.bindDn,
      password,
      caFile: c.ldap.ca,
      insecure: c.ldap.insecure ?? false,
      base: c.ldap.base,
      user: c.ldap.user,
      adminGroup: c.ldap.adminGroup ?? 'DHCP Administrators',
    };
  }
  if (notes.length > 0) plan.notes = notes;
  return plan;
}
