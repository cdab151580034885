import type { Entry } from 'ldapts';
import type { ServerVersion } from '../facts.js';
import { parseIPv4 } from '../net/ipv4.js';
import { dnsDomainOf, escapeFilterValue as esc, first, identityForm, parseDhcpServers, parseOsVersion, type AuthorizationEntry } from './ldap-parse.js';
import type { Session } from './ldap-session.js';

// The three directory questions: is the user in the admin group, what Windows is the partner,
// and are both servers authorized. Each answers "could not tell" (undefined) with a note
// rather than guessing.

export interface DirectoryTarget {
  /** DNS name or NetBIOS name. */
  name?: string;
  /** IPv4 address. */
  address?: string;
}

export interface ComputerInfo {
  dn: string;
  dNSHostName?: string;
  operatingSystem?: string;
  operatingSystemVersion?: string;
  /** Parsed operatingSystemVersion; product "Windows Server". */
  version?: ServerVersion;
}

const IN_CHAIN = '1.2.840.113556.1.4.1941';

function sole(label: string, input: string, found: { entries: Entry[]; truncated: boolean }, s: Session) {
  if (found.entries.length > 1) {
    const more = found.truncated ? ' or more' : '';
    s.note(`${label} "${input}" matches ${found.entries.length}${more} entries; name it by DN`);
    return undefined;
  }
  return found.entries[0];
}

export async function findUser(s: Session, base: string, input: string): Promise<string | undefined> {
  const form = identityForm(input);
  if (form.kind === 'dn') {
    const entry = await s.read(form.value, ['1.1']);
    if (!entry) s.note(`user ${form.value} does not exist`);
    return entry?.dn;
  }
  const filter =
    form.kind === 'upn' ? `(&(objectClass=user)(userPrincipalName=${esc(form.value)}))` : `(&(objectClass=user)(sAMAccountName=${esc(form.value)}))`;
  let entry = sole('user', input, await s.find(base, filter, ['1.1']), s);
  // Accounts without a userPrincipalName (Administrator, for one) still bind as name@domain.
  if (!entry && form.kind === 'upn' && form.suffix.toLowerCase() === dnsDomainOf(base).toLowerCase()) {
    const bySam = `(&(objectClass=user)(sAMAccountName=${esc(form.account)}))`;
    entry = sole('user', input, await s.find(base, bySam, ['1.1']), s);
  }
  if (!entry) s.note(`user "${input}" not found under ${base}`);
  return entry?.dn;
}

export async function findGroup(s: Session, base: string, input: string): Promise<string | undefined> {
  const form = identityForm(input);
  let entry: Entry | undefined;
  if (form.kind === 'dn') {
    entry = await s.read(form.value, ['1.1'], '(objectClass=group)');
  } else {
    const name = esc(form.kind === 'sam' ? form.value : input.trim());
    const filter = `(&(objectClass=group)(|(cn=${name})(sAMAccountName=${name})))`;
    entry = sole('group', input, await s.find(base, filter, ['1.1']), s);
  }
  if (!entry) {
    s.note(
      `group "${input}" not found under ${base}. On a member server "DHCP Administrators" is a local ` +
        'group the directory cannot see; name the domain group nested in it with --admin-group',
    );
  }
  return entry?.dn;
}

/**
 * The in-chain rule answers "member at any depth"; a plain memberOf match then says "directly".
 * Membership through the primary group (primaryGroupID) is invisible to both, as in AD itself.
 */
export async function membershipOf(s: Session, userDn: string, groupDn: string): Promise<'direct' | 'nested' | 'none'> {
  const g = esc(groupDn);
  if (!(await s.read(userDn, ['1.1'], `(memberOf:${IN_CHAIN}:=${g})`))) return 'none';
  return (await s.read(userDn, ['1.1'], `(memberOf=${g})`)) ? 'direct' : 'nested';
}

export async function readAuthorizations(s: Session, configNc: string | undefined): Promise<AuthorizationEntry[] | undefined> {
  if (!configNc) {
    s.note('the rootDSE names no configurationNamingContext: DHCP authorization cannot be read');
    return undefined;
  }
  // Searched directly: from the domain NC the Configuration NC is only a referral.
  const dn = `CN=DhcpRoot,CN=NetServices,CN=Services,${configNc}`;
  const raw = await s.readAll(dn, 'dhcpServers');
  if (raw === undefined) {
    s.note(`${dn} does not exist: no DHCP server has ever been authorized in this forest`);
    return [];
  }
  const entries = parseDhcpServers(raw);
  if (entries.length < raw.length) s.note(`${raw.length - entries.length} dhcpServers value(s) could not be parsed`);
  return entries;
}

export function authorizationOf(target: DirectoryTarget, entries: AuthorizationEntry[] | undefined): AuthorizationEntry | null | undefined {
  if (!entries) return undefined;
  const addressText = target.address ?? (target.name && parseIPv4(target.name) !== undefined ? target.name : undefined);
  const address = addressText === undefined ? undefined : parseIPv4(addressText);
  const name = addressText === target.name ? undefined : target.name?.toLowerCase();
  if (address === undefined && !name) return undefined;
  const hit = entries.find((e) => {
    if (address !== undefined && parseIPv4(e.address) === address) return true;
    if (!name) return false;
    const listed = e.name.toLowerCase();
    return listed === name || (!name.includes('.') && listed.split('.')[0] === name);
  });
  return hit ?? null;
}

const COMPUTER_ATTRS = ['dNSHostName', 'operatingSystem', 'operatingSystemVersion'];

export async function findComputer(
  s: Session,
  base: string,
  role: 'local' | 'partner',
  target: DirectoryTarget,
  authorized: AuthorizationEntry[] | undefined,
): Promise<ComputerInfo | undefined> {
  let name = target.name && parseIPv4(target.name) === undefined ? target.name : undefined;
  const address = target.address ?? (name === undefined ? target.name : undefined);
  if (!name && address) {
    const listed = authorized?.find((e) => parseIPv4(e.address) === parseIPv4(address) && e.name);
    if (!listed) {
      s.note(`${role} server given only as ${address}: computer objects hold no address; give its DNS name`);
      return undefined;
    }
    name = listed.name;
    s.note(`${role} server ${address} looked up as ${name}, the name its DHCP authorization lists`);
  }
  if (!name) {
    s.note(`${role} server: no name or address to look up in the directory`);
    return undefined;
  }

  let entry: Entry | undefined;
  if (name.includes('.')) {
    const byDns = `(&(objectClass=computer)(dNSHostName=${esc(name)}))`;
    entry = sole('computer', name, await s.find(base, byDns, COMPUTER_ATTRS), s);
  }
  if (!entry) {
    const label = name.split('.')[0] ?? name;
    const byName = `(&(objectClass=computer)(|(cn=${esc(label)})(sAMAccountName=${esc(label)}$)))`;
    entry = sole('computer', label, await s.find(base, byName, COMPUTER_ATTRS), s);
    const dns = entry && first(entry, 'dNSHostName');
    if (entry && name.includes('.') && dns && dns.toLowerCase() !== name.toLowerCase()) {
      s.note(`${role} computer found by name ${label}, but its dNSHostName is ${dns}, not ${name}`);
    }
  }
  if (!entry) {
    s.note(`${role} computer "${name}" not found under ${base}`);
    return undefined;
  }
  return computerInfo(entry, role, s);
}

function computerInfo(entry: Entry, role: string, s: Session): ComputerInfo {
  const info: ComputerInfo = { dn: entry.dn };
  const dns = first(entry, 'dNSHostName');
  const os = first(entry, 'operatingSystem');
  const osv = first(entry, 'operatingSystemVersion');
  if (dns) info.dNSHostName = dns;
  if (os) info.operatingSystem = os;
  if (osv) info.operatingSystemVersion = osv;
  const parsed = osv ? parseOsVersion(osv) : undefined;
  if (parsed) {
    const text = [os, osv].filter(Boolean).join(', ');
    info.version = { product: 'Windows Server', ...parsed, text };
  } else {
    s.note(osv ? `${role} computer ${entry.dn}: operatingSystemVersion "${osv}" not understood` : `${role} computer ${entry.dn} has no operatingSystemVersion`);
  }
  return info;
}
