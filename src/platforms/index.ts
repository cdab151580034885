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

/**
 * The platform that judges a pair: the partner's, else the local server's, else what the source
 * specs imply, else `other`. `mixed` is set when the two servers cannot pair at all.
 */
export function pairPlatform(local: ServerFacts | undefined, partner: ServerFacts | undefined, implied: (Platform | undefined)[] = []): { platform: PlatformModule; mixed?: string } {
  const ids = [partner?.platform, local?.platform, ...implied].filter((p): p is Platform => p !== undefined && p !== 'other');
  const platform = platformOf(ids[0] ?? 'other');
  if (local && partner && local.platform !== partner.platform && local.platform !== 'other' && partner.platform !== 'other') {
    return { platform, mixed: `a ${platformOf(local.platform).product} server and a ${platformOf(partner.platform).product} server do not speak the same failover protocol` };
  }
  return { platform };
}

export type { Pair, PlatformModule };
