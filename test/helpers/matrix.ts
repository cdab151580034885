import { readFileSync } from 'node:fs';
import type { Status } from '../../src/checks/ids.js';
import { confText } from './dhcpd-confs.js';

// The matrix of issue 18, one table: every platform of each server (Windows, Kea 2.2 / 2.6 / 3.0,
// ISC dhcpd, other) × every source kind that can describe it from files × the phase (as the
// sources decide, or --phase live). `expected()` is the documented truth for each row; a row it
// does not answer fails the test. Files are generated here from the table.

export type PlatformCol = 'windows' | 'kea-2.2' | 'kea-2.6' | 'kea-3.0' | 'isc-dhcpd' | 'other';
export type Kind = 'windows-json' | 'windows-export' | 'inventory' | 'kea-config' | 'dhcpd';
export type PhaseCol = 'auto' | 'live';

export const PLATFORM_COLS: PlatformCol[] = ['windows', 'kea-2.2', 'kea-2.6', 'kea-3.0', 'isc-dhcpd', 'other'];

/** Every file kind that describes each platform (live kinds: the live tests of each platform). */
export const KINDS_OF: Record<PlatformCol, Kind[]> = {
  windows: ['windows-json', 'windows-export', 'inventory'],
  'kea-2.2': ['kea-config', 'inventory'],
  'kea-2.6': ['kea-config', 'inventory'],
  'kea-3.0': ['kea-config', 'inventory'],
  'isc-dhcpd': ['dhcpd', 'inventory'],
  other: ['inventory'],
};

export interface Side {
  platform: PlatformCol;
  kind: Kind;
}

export interface Row {
  local: Side;
  partner: Side;
  phase: PhaseCol;
}

export const EXPECTED_CHECKS = ['version', 'service', 'permissions', 'reachability', 'time', 'identity', 'peers'] as const;
export type ExpectedCheck = (typeof EXPECTED_CHECKS)[number];
export interface Expectation {
  checks: Partial<Record<ExpectedCheck, Status>>;
  exitCode: number;
  /** What the verdict rests on, for the closing note. */
  why: string;
}

const keaVersion = (p: PlatformCol) => (p.startsWith('kea-') ? p.slice(4) : undefined);
const family = (p: PlatformCol) => (p.startsWith('kea-') ? 'kea' : p);

/** A kea-config file says no version: one --kea-version names it for the run, so two kea-config files of different versions are one row that cannot be given. */
export function rows(): Row[] {
  const sides = PLATFORM_COLS.flatMap((platform) => KINDS_OF[platform].map((kind): Side => ({ platform, kind })));
  const out: Row[] = [];
  for (const local of sides) {
    for (const partner of sides) {
      if (local.kind === 'kea-config' && partner.kind === 'kea-config' && local.platform !== partner.platform) continue;
      for (const phase of ['auto', 'live'] as const) out.push({ local, partner, phase });
    }
  }
  return out;
}

export const rowName = (r: Row) =>
  `${r.local.platform}/${r.local.kind} + ${r.partner.platform}/${r.partner.kind}, ${r.phase === 'auto' ? 'phase from the sources' : '--phase live'}`;

/** --kea-version for a row: the version of its kea-config files, when it has any. */
export function keaVersionOf(r: Row): string | undefined {
  const side = [r.local, r.partner].find((s) => s.kind === 'kea-config');
  return side ? keaVersion(side.platform) : undefined;
}

/** Known from configuration only: a kea-config file, a dhcpd.conf without an answering OMAPI. */
const configOnly = (s: Side) => s.kind === 'kea-config' || s.kind === 'dhcpd';

/**
 * The documented truth for one row. Windows (Microsoft, "DHCP Failover Requirements"), Kea (ARM,
 * High Availability), dhcpd (dhcpd.conf(5) failover): each side's facts are a healthy server of
 * its platform; the partner listens on nothing (reachability refused), and its clock is read
 * from a fake NTP server at offset 0.
 */
export function expected(r: Row): Expectation | undefined {
  const lf = family(r.local.platform);
  const pf = family(r.partner.platform);
  if (lf !== 'other' && pf !== 'other' && lf !== pf) {
    return { checks: { version: 'fail' }, exitCode: 1, why: 'two platforms never pair: version.mixed-platforms, whatever the source kinds' };
  }
  const live = r.phase === 'live';
  const partnerBefore = !live && configOnly(r.partner);
  const checks: Expectation['checks'] = {};
  let extraUnknown: string | undefined;
  // version: what the partner's source (or --kea-version) tells; an `other` server has no documented minimum.
  const partnerVersionKnown = r.partner.kind !== 'dhcpd' && (r.partner.kind !== 'kea-config' || keaVersionOf(r) !== undefined);
  if (lf === 'other' || pf === 'other') checks.version = partnerVersionKnown || r.partner.platform === 'other' ? 'unknown' : partnerBefore ? 'skip' : 'unknown';
  else if (!partnerVersionKnown) checks.version = partnerBefore ? 'skip' : 'unknown';
  else if (
    keaVersion(r.local.platform) &&
    keaVersion(r.partner.platform) &&
    keaVersion(r.local.platform) !== keaVersion(r.partner.platform) &&
    r.local.kind !== 'dhcpd'
  )
    checks.version = 'warn';
  else checks.version = 'pass';
  // service and permissions: only a running server (its bundle, an inventory) answers.
  const answersLive = r.partner.kind === 'windows-json' || r.partner.kind === 'inventory';
  checks.service = answersLive ? 'pass' : partnerBefore ? 'skip' : 'unknown';
  checks.permissions = answersLive ? 'pass' : partnerBefore ? 'skip' : 'unknown';
  // Nothing listens on the partner: a refusal is an answer (warn), before deploy the listener is not there yet.
  checks.reachability = partnerBefore ? 'skip' : 'warn';
  checks.time = 'pass';
  // Export-DhcpServer holds no failover relationships section a count could rest on: unknown.
  if (r.local.kind === 'windows-export' || r.partner.kind === 'windows-export')
    extraUnknown = 'relationships.not-known (Export-DhcpServer: no relationship count)';
  // identity: every generated source names the partner's own address but Export-DhcpServer's XML, which holds none.
  checks.identity = r.partner.kind === 'windows-export' ? 'unknown' : 'pass';
  // peers: compared where both sides declare the pair (two Kea files, two dhcpd confs); Windows has no such rule.
  if (r.local.kind === 'kea-config' && r.partner.kind === 'kea-config') checks.peers = 'pass';
  else if (r.local.kind === 'dhcpd' && r.partner.kind === 'dhcpd') checks.peers = 'pass';
  else if (lf === 'windows' && pf === 'windows') checks.peers = 'skip';
  const statuses = Object.values(checks);
  const exitCode = statuses.includes('fail') ? 1 : statuses.includes('unknown') || extraUnknown ? 3 : 0;
  return { checks, exitCode, why: partnerBefore ? 'before deploy' : 'live' };
}

// --- the files each side is generated as -------------------------------------------------------

const ADDRESS = { local: '127.0.0.1', partner: '127.0.0.2' } as const;
type Role = keyof typeof ADDRESS;

const bom = (text: string) => text.replace(/^\uFEFF/, '');

function windowsJson(role: Role, examples: string): string {
  const base = JSON.parse(bom(readFileSync(`${examples}/${role}.json`, 'utf8'))) as Record<string, unknown>;
  // A healthy server: the example partner is one that refuses its user; here the user may administer it.
  // No relationship yet; the partner holds no scope (failover creates them there).
  base.Failover = [];
  if (role === 'partner') base.Scopes = [];
  base.Identity = { User: 'CORP\\admin', IsDhcpAdministrator: true };
  base.NetIPAddress = [{ IPAddress: ADDRESS[role], InterfaceAlias: 'Ethernet', PrefixLength: 8, PrefixOrigin: 'Manual', AddressFamily: 2 }];
  return JSON.stringify(base, null, 1);
}

function keaConfig(role: Role, examples: string): string {
  return readFileSync(`${examples}/kea/${role === 'local' ? 'dhcp1' : 'dhcp2'}-kea-dhcp4.conf`, 'utf8');
}

/** The scopes a healthy server of `fam` holds in this row: Kea and dhcpd the same on both, Windows only on the local one. */
function scopesOf(role: Role, fam: string): { scope: string; subnetId?: number; range?: string }[] {
  if (fam === 'kea')
    return [
      { scope: '10.1.0.0/24', subnetId: 1, range: '10.1.0.100 - 10.1.0.200' },
      { scope: '10.2.0.0/24', subnetId: 2, range: '10.2.0.100 - 10.2.0.200' },
    ];
  if (fam === 'isc-dhcpd') return [{ scope: '10.99.0.0/24', range: '10.99.0.100 - 10.99.0.200' }];
  return role === 'partner' ? [] : [{ scope: '10.99.0.0/24' }];
}

/** `other` holds the scopes the pair's platform (the other side's) wants, so only the platform is in question. */
function inventory(role: Role, platform: PlatformCol, otherSide: PlatformCol): string {
  const version = { windows: '10.0', 'kea-2.2': '2.2.0', 'kea-2.6': '2.6.1', 'kea-3.0': '3.0.0', 'isc-dhcpd': '4.4.3', other: '1.0' }[platform];
  const fam = family(platform);
  const name =
    { windows: role === 'local' ? 'DHCP1' : 'DHCP2', 'isc-dhcpd': `dhcpd-${role}`, other: `other-${role}` }[fam as 'windows' | 'isc-dhcpd' | 'other'] ??
    (role === 'local' ? 'dhcp1' : 'dhcp2');
  return JSON.stringify({
    platform: fam,
    name,
    addresses: [ADDRESS[role]],
    staticAddress: true,
    version,
    service: 'running',
    identity: { user: 'admin', isDhcpAdministrator: true },
    relationships: [],
    scopes: scopesOf(role, fam === 'other' ? family(otherSide) : fam),
  });
}

/** The file for one side of a row: its name and text. */
export function fileFor(role: Role, side: Side, otherSide: Side, examples: string): { name: string; text: string } {
  const stem = `${role}-${side.platform}-${side.kind}${side.platform === 'other' ? `-beside-${family(otherSide.platform)}` : ''}`;
  switch (side.kind) {
    case 'windows-json':
      return { name: `${stem}.json`, text: windowsJson(role, examples) };
    case 'windows-export':
      // The partner's export holds no scope (failover creates them there).
      return {
        name: `${stem}.xml`,
        text: ((t: string) => (role === 'partner' ? t.replace(/<Scopes>[\s\S]*<\/Scopes>/, '<Scopes />') : t))(
          readFileSync(`${examples}/windows-export/branch2.xml`, 'utf8'),
        ),
      };
    case 'kea-config':
      return { name: `${stem}.conf`, text: keaConfig(role, examples) };
    case 'dhcpd':
      return { name: `${stem}.conf`, text: confText(role === 'local' ? 'primary' : 'secondary') };
    case 'inventory':
      return { name: `${stem}.json`, text: inventory(role, side.platform, otherSide.platform) };
  }
}
