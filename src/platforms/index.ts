import type { ServerFacts } from '../facts.js';
import type { Platform } from './ids.js';
import { iscDhcpd } from './isc-dhcpd/index.js';
import { kea } from './kea/index.js';
import type { Pair, PlatformModule } from './types.js';
import { windows } from './windows/index.js';
import { other } from './other/index.js';

/** One line per platform: a new platform is its folder, its tests and this line. */
export const PLATFORMS = {
  windows,
  kea,
  'isc-dhcpd': iscDhcpd,
  other,
} as const satisfies Record<Platform, PlatformModule>;

export const platformOf = (id: Platform): PlatformModule => PLATFORMS[id];

/** What an Active Directory computer object's operatingSystemVersion describes. */
export const DIRECTORY_PLATFORM: Platform = 'windows';

/** What shows one server's platform: its facts (live answers or a file), else its source kind. */
export interface PlatformEvidence {
  facts?: ServerFacts;
  /** The platform the source kind implies (a failed `kea:` source still says Kea). */
  implied?: Platform;
}

/**
 * The platform that judges a pair, decided once from every fact that shows it: each server's
 * facts, else its source kind; the partner's before the local server's; else what a directory
 * (--ldap) implies; else `other`. `mixed` is set when the two servers are of two platforms,
 * whichever kinds of source said so.
 */
export function pairPlatform(
  local: PlatformEvidence,
  partner: PlatformEvidence,
  directory?: Platform,
): { platform: PlatformModule; mixed?: string; sides: { local?: Platform; partner?: Platform } } {
  const sideOf = (e: PlatformEvidence) => e.facts?.platform ?? e.implied;
  const sides = { local: sideOf(local), partner: sideOf(partner) };
  const ids = [sides.partner, sides.local, directory].filter((p): p is Platform => p !== undefined && p !== 'other');
  const platform = platformOf(ids[0] ?? 'other');
  const known = (p: Platform | undefined): p is Platform => p !== undefined && p !== 'other';
  if (known(sides.local) && known(sides.partner) && sides.local !== sides.partner) {
    return {
      platform,
      sides,
      mixed: `a ${platformOf(sides.local).product} server and a ${platformOf(sides.partner).product} server do not speak the same failover protocol`,
    };
  }
  return { platform, sides };
}

export type { Pair, PlatformModule };
