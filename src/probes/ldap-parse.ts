// Pure helpers for the directory probe: no I/O, so they can be unit-tested without a DC.

/** One server authorized in CN=DhcpRoot (a `dhcpServers` value). */
export interface AuthorizationEntry {
  address: string;
  name: string;
  /** The value as stored, for details. */
  raw: string;
}

/** "6.3 (9600)", "10.0 (20348)", "6.1.7601", "10.0" as written in operatingSystemVersion. */
export function parseOsVersion(text: string): { major: number; minor: number; build?: number } | undefined {
  const m = /^\s*(\d{1,3})\.(\d{1,3})(?:\.(\d{1,6})|\s*\(\s*(\d{1,6})\s*\))?(?:\s|$)/.exec(text);
  if (!m) return undefined;
  const build = m[3] ?? m[4];
  return build === undefined ? { major: Number(m[1]), minor: Number(m[2]) } : { major: Number(m[1]), minor: Number(m[2]), build: Number(build) };
}

/**
 * Windows writes `i<ip>$rcn=<name>$f0x...$`; some forests hold several of these run together in
 * one value, so the whole value is scanned rather than split once.
 */
export function parseDhcpServers(values: readonly string[]): AuthorizationEntry[] {
  const out: AuthorizationEntry[] = [];
  for (const raw of values) {
    for (const m of raw.matchAll(/i([^$]*)\$rcn=([^$]*)\$(?:f[^$]*\$)?/g)) {
      out.push({ address: (m[1] ?? '').trim(), name: (m[2] ?? '').trim(), raw: m[0] });
    }
  }
  return out;
}

/** RFC 4515 value escaping; NUL and the four filter metacharacters are all that must go. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export type IdentityForm = { kind: 'dn'; value: string } | { kind: 'upn'; value: string; account: string; suffix: string } | { kind: 'sam'; value: string };

/** DN (has `=`), UPN (has `@`), `DOMAIN\user`, or a bare sAMAccountName. */
export function identityForm(input: string): IdentityForm {
  const text = input.trim();
  if (text.includes('=')) return { kind: 'dn', value: text };
  const at = text.lastIndexOf('@');
  if (at > 0) return { kind: 'upn', value: text, account: text.slice(0, at), suffix: text.slice(at + 1) };
  const slash = text.indexOf('\\');
  return { kind: 'sam', value: slash >= 0 ? text.slice(slash + 1) : text };
}

/** DC=lab,DC=test -> lab.test: the implicit UPN suffix of accounts without a userPrincipalName. */
export function dnsDomainOf(dn: string): string {
  return dn
    .split(',')
    .map((rdn) => /^\s*dc\s*=\s*(.+?)\s*$/i.exec(rdn)?.[1])
    .filter((label): label is string => label !== undefined)
    .join('.');
}

/** ldapts gives a string for one value and an array for several: callers want an array. */
export function values(entry: Record<string, unknown>, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

export function first(entry: Record<string, unknown>, attribute: string): string | undefined {
  return values(entry, attribute)[0];
}
