import type { ConnectionOptions } from 'node:tls';
import type { Client } from 'ldapts';
import { bounded } from '../util/bounded.js';
import { errorText, ProbeError } from '../util/errors.js';
import { readGuarded, type InputDeadline } from '../util/read-guarded.js';
import { isResultCodeError, toProbeError, type ErrorContext } from './ldap-errors.js';
import {
  authorizationOf,
  findComputer,
  findGroup,
  findUser,
  membershipOf,
  readAuthorizations,
  type ComputerInfo,
  type DirectoryTarget,
} from './ldap-lookups.js';
import { first, type AuthorizationEntry } from './ldap-parse.js';
import { Session } from './ldap-session.js';
import { parseIPv4 } from '../net/ipv4.js';
import { isIPv6 } from '../net/ipv6.js';

/** How to reach and read the directory (--ldap and friends). */
export interface LdapOptions {
  url: string;
  bindDn?: string;
  /** From LDAP_PASSWORD or --ldap-password-file: never printed. */
  password?: string;
  caFile?: string;
  insecure: boolean;
  base?: string;
  user?: string;
  adminGroup: string;
}

// The directory probe: one read-only LDAP session that answers the permissions, version and
// authorization questions. ldapts is imported lazily so the CLI's cold start does not pay for it.

export type { ComputerInfo, DirectoryTarget } from './ldap-lookups.js';
export type { AuthorizationEntry } from './ldap-parse.js';
export { parseOsVersion } from './ldap-parse.js';

export interface DirectoryFacts {
  /** The naming context searched. */
  base: string;
  /** Whose rights were checked. */
  user: { input: string; dn?: string };
  /** The admin group as found. */
  group: { input: string; dn?: string };
  /** undefined when the user or group was not found (the notes say why). */
  membership?: 'direct' | 'nested' | 'none';
  computers: { local?: ComputerInfo; partner?: ComputerInfo };
  /** null = looked up, not authorized; undefined = could not tell. */
  authorization: { local?: AuthorizationEntry | null; partner?: AuthorizationEntry | null };
  /** Every parsed dhcpServers value. */
  authorizedServers: AuthorizationEntry[];
  notes: string[];
}

interface LdapUrl {
  secure: boolean;
  host: string;
  endpoint: string;
}

function parseLdapUrl(text: string): LdapUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeError(`not an LDAP URL: ${text}`, 'protocol');
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') {
    throw new ProbeError(`not an LDAP URL (ldap:// or ldaps://): ${text}`, 'protocol');
  }
  const secure = url.protocol === 'ldaps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = url.port || (secure ? '636' : '389');
  return { secure, host, endpoint: `${isIPv6(host) ? `[${host}]` : host}:${port}` };
}

async function tlsOptionsFor(opts: LdapOptions, host: string, deadline: InputDeadline): Promise<ConnectionOptions> {
  const tls: ConnectionOptions = { rejectUnauthorized: !opts.insecure, minVersion: 'TLSv1.2', host };
  if (!isIPv6(host) && parseIPv4(host) === undefined) tls.servername = host;
  if (opts.caFile) {
    try {
      tls.ca = (await readGuarded(opts.caFile, { purpose: 'secret', label: '--ldap-ca', ...deadline })).bytes;
    } catch (err) {
      throw new ProbeError(errorText(err), 'tls');
    }
  }
  return tls;
}

/**
 * ldapts watches only the plain socket for 'close': when a server drops a StartTLS-upgraded
 * connection it still counts itself connected, and an unbind then waits for a write that never
 * completes while its operation timer holds the process open for another --timeout.
 */
function socketGone(client: Client): boolean {
  const socket = (client as unknown as { socket?: { destroyed?: boolean } }).socket;
  return socket === undefined || socket.destroyed === true;
}

/** A failed bind leaves ldapts' socket open (and the process alive): always close, never throw. */
async function closeQuietly(client: Client | undefined): Promise<void> {
  if (!client || socketGone(client)) return;
  await bounded<void>({ label: 'LDAP unbind', timeoutMs: 1000 }, (settle) => {
    client.unbind().then(
      () => settle.resolve(),
      () => settle.resolve(),
    );
  }).catch(() => undefined);
}

/** A server's "no" to one question becomes a note; a broken connection still fails the query. */
async function guarded<T>(s: Session, what: string, fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isResultCodeError(err)) throw err;
    s.note(`${what}: LDAP error ${err.code}: ${err.message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '')}`);
    return fallback;
  }
}

export async function queryDirectory(
  opts: LdapOptions,
  targets: { local: DirectoryTarget; partner: DirectoryTarget },
  run: { timeoutMs: number; signal?: AbortSignal },
): Promise<DirectoryFacts> {
  const ctx: ErrorContext = {
    phase: 'connect',
    endpoint: opts.url,
    timeoutMs: run.timeoutMs,
    bindIdentity: opts.bindDn,
    password: opts.password,
  };
  let client: Client | undefined;
  // One budget for the whole session (StartTLS, bind, every search), like the Kea source: a server
  // that answers each operation just inside its own timeout must not stretch the run past --timeout.
  const bound = {
    label: 'directory queries',
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    timeoutError: () =>
      new ProbeError(
        `directory queries took longer than ${run.timeoutMs} ms (no answer to the ${ctx.phase === 'starttls' ? 'StartTLS request' : ctx.phase})`,
        'timeout',
      ),
    abortError: () => new ProbeError('directory queries cancelled', 'timeout'),
  };
  const session = async (over: () => boolean): Promise<DirectoryFacts> => {
    const url = parseLdapUrl(opts.url);
    ctx.endpoint = url.endpoint;
    if (opts.bindDn && !opts.password) {
      throw new ProbeError(`no password for ${opts.bindDn}: set LDAP_PASSWORD or --ldap-password-file`, 'invalid-credentials');
    }
    const tlsOptions = await tlsOptionsFor(opts, url.host, { timeoutMs: run.timeoutMs, signal: run.signal });
    const { Client } = await import('ldapts');
    // Past the deadline, a client made now would be closed by nobody and hold the process open.
    if (over()) throw bound.timeoutError();
    client = new Client({
      url: opts.url,
      timeout: run.timeoutMs,
      connectTimeout: run.timeoutMs,
      // ldapts treats any tlsOptions as "connect with TLS", so ldap:// gets them via StartTLS.
      ...(url.secure ? { tlsOptions } : {}),
    });
    return collect(client, new Session(client, opts.password), opts, targets, url, tlsOptions, ctx);
  };
  try {
    return await bounded<DirectoryFacts>(bound, (settle) => void session(() => settle.settled).then(settle.resolve, settle.reject));
  } catch (err) {
    throw toProbeError(err, ctx);
  } finally {
    await closeQuietly(client);
  }
}

async function collect(
  client: Client,
  s: Session,
  opts: LdapOptions,
  targets: { local: DirectoryTarget; partner: DirectoryTarget },
  url: LdapUrl,
  tlsOptions: ConnectionOptions,
  ctx: ErrorContext,
): Promise<DirectoryFacts> {
  if (!url.secure) {
    ctx.phase = 'starttls';
    await client.startTLS(tlsOptions);
  }
  if (opts.insecure) s.note('the LDAP server certificate was not verified (--ldap-insecure)');
  ctx.phase = 'bind';
  if (opts.bindDn) await client.bind(opts.bindDn, opts.password);
  else s.note('anonymous bind: most directories answer little without --ldap-bind-dn');

  ctx.phase = 'search';
  const rootDse = await s.read('', ['defaultNamingContext', 'configurationNamingContext']);
  const base = opts.base ?? (rootDse && first(rootDse, 'defaultNamingContext'));
  if (!base) throw new ProbeError(`${ctx.endpoint} names no defaultNamingContext: pass --ldap-base`, 'protocol');
  const configNc = rootDse && first(rootDse, 'configurationNamingContext');

  const userInput = opts.user ?? opts.bindDn ?? '';
  const facts: DirectoryFacts = {
    base,
    user: { input: userInput },
    group: { input: opts.adminGroup },
    computers: {},
    authorization: {},
    authorizedServers: [],
    notes: s.notes,
  };

  const membership = guarded(s, 'group membership', undefined, async () => {
    const [userDn, groupDn] = await Promise.all([userInput ? findUser(s, base, userInput) : undefined, findGroup(s, base, opts.adminGroup)]);
    if (!userInput) s.note('no --user and no bind identity: whose rights to check is unknown');
    if (userDn) facts.user.dn = userDn;
    if (groupDn) facts.group.dn = groupDn;
    return userDn && groupDn ? membershipOf(s, userDn, groupDn) : undefined;
  });
  const authorized = guarded(s, 'DHCP authorization', undefined, () => readAuthorizations(s, configNc));
  const [member, servers] = await Promise.all([membership, authorized]);
  if (member) facts.membership = member;
  if (servers) facts.authorizedServers = servers;
  facts.authorization.local = authorizationOf(targets.local, servers);
  facts.authorization.partner = authorizationOf(targets.partner, servers);

  const computer = (role: 'local' | 'partner') => guarded(s, `${role} computer object`, undefined, () => findComputer(s, base, role, targets[role], servers));
  const [local, partner] = await Promise.all([computer('local'), computer('partner')]);
  if (local) facts.computers.local = local;
  if (partner) facts.computers.partner = partner;
  return facts;
}
