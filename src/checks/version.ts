import type { Platform, ServerFacts, ServerVersion } from '../facts.js';
import { factsOf } from './facts-of.js';
import { messages } from './messages.js';
import { fail, pass, unknown, warn, type Check } from './types.js';

/** Oldest version that can do failover/HA, per platform. */
const MINIMUM: Record<Platform, [number, number] | undefined> = {
  windows: [6, 2], // Windows Server 2012 introduced DHCP failover
  kea: [1, 4], // the HA hook first shipped in Kea 1.4
  'isc-dhcpd': [3, 0], // failover protocol since ISC DHCP 3.0
  other: undefined,
};

const WINDOWS_NAMES: Record<string, string> = {
  '6.0': 'Windows Server 2008',
  '6.1': 'Windows Server 2008 R2',
  '6.2': 'Windows Server 2012',
  '6.3': 'Windows Server 2012 R2',
  '10.0': 'Windows Server 2016 or later',
};

export function describeVersion(facts: ServerFacts): string {
  const v = facts.version!;
  const name = facts.platform === 'windows' ? WINDOWS_NAMES[`${v.major}.${v.minor}`] : undefined;
  return `${v.product} ${v.text}${name ? ` (${name})` : ''}`;
}

function supports(platform: Platform, v: ServerVersion): boolean | undefined {
  const min = MINIMUM[platform];
  if (!min) return undefined;
  return v.major > min[0] || (v.major === min[0] && v.minor >= min[1]);
}

export const version: Check = {
  id: 'version',
  title: "Partner's DHCP server version supports failover",
  async run(ctx) {
    const [partner, local] = await Promise.all([factsOf(ctx, 'partner'), factsOf(ctx, 'local')]);
    if (!partner.facts?.version) {
      return unknown('the partner\'s version is not known', {
        details: { cause: partner.error ?? `${partner.facts!.source} does not tell the version` },
        fix: 'Give --partner-source (a windows-json bundle, export, inventory or kea: agent).',
      });
    }
    const details: Record<string, unknown> = { partner: describeVersion(partner.facts) };
    if (local.facts?.version) details.local = describeVersion(local.facts);
    const p = partner.facts;
    if (supports(p.platform, p.version!) === false) {
      return fail(messages.version(), { details: { ...details, minimum: MINIMUM[p.platform]!.join('.') }, fix: 'Upgrade the partner.' });
    }
    const l = local.facts;
    if (l?.version && supports(l.platform, l.version) === false) {
      return fail(messages.version(), { details: { ...details, which: 'local', minimum: MINIMUM[l.platform]!.join('.') }, fix: 'Upgrade the local server.' });
    }
    if (l && l.platform !== p.platform) {
      return fail(messages.version(), {
        details: { ...details, cause: `a ${l.platform} server and a ${p.platform} server do not speak the same failover protocol` },
        fix: 'Pair servers of the same platform.',
      });
    }
    if (l?.version && l.version.text !== p.version!.text) {
      return warn(`the servers run different versions (${l.version.text} and ${p.version!.text}); the same version is recommended`, { details });
    }
    return pass(`${describeVersion(p)} supports failover`, { details });
  },
};
