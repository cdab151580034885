import type { Platform, ServerFacts, ServerVersion } from '../facts.js';
import type { Context } from '../context.js';
import { directoryOf, factsOf, sourceNotes } from './facts-of.js';
import { situation } from './kea-pairing.js';
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
  if (v.text.startsWith(v.product)) return v.text;
  return `${v.product} ${v.text}${name ? ` (${name})` : ''}`;
}

function supports(platform: Platform, v: ServerVersion): boolean | undefined {
  const min = MINIMUM[platform];
  if (!min) return undefined;
  return v.major > min[0] || (v.major === min[0] && v.minor >= min[1]);
}

/** The partner's facts with the version from the DHCP source, or else from its AD computer object. */
async function partnerVersion(ctx: Context) {
  const [partner, directory] = await Promise.all([factsOf(ctx, 'partner'), directoryOf(ctx)]);
  const computer = directory.facts?.computers.partner;
  const fromDirectory: ServerFacts | undefined = computer?.version
    ? { source: `directory ${computer.dn}`, platform: 'windows', version: computer.version }
    : undefined;
  const notes: string[] = [];
  if (directory.error) notes.push(directory.error);
  if (partner.facts?.version && fromDirectory) {
    const a = partner.facts.version;
    const b = fromDirectory.version!;
    if (a.major !== b.major || a.minor !== b.minor) notes.push(`the directory records ${b.text} for the partner, its DHCP source says ${a.text}`);
  }
  return { facts: partner.facts?.version ? partner.facts : fromDirectory, error: partner.error, read: partner, notes, disagree: notes.length > (directory.error ? 1 : 0) };
}

const HA_LIBRARIES = ['libdhcp_lease_cmds.so', 'libdhcp_ha.so'];

/** Kea HA needs both hook libraries; before setup their absence is expected, not a failure. */
function keaHooks(local: ServerFacts | undefined, partner: ServerFacts) {
  const missing: string[] = [];
  const sit = situation(local, partner);
  for (const [role, f] of [['local', local], ['partner', partner]] as const) {
    if (f?.platform === 'kea' && f.kea?.haConfigured && f.kea.leaseCmdsHookLoaded === false) {
      missing.push(`the ${role} server configures HA without libdhcp_lease_cmds.so`);
    }
  }
  return { missing, situation: sit };
}

export const version: Check = {
  id: 'version',
  title: "Partner's DHCP server version supports failover",
  async run(ctx) {
    const [partner, local] = await Promise.all([partnerVersion(ctx), factsOf(ctx, 'local')]);
    if (!partner.facts?.version) {
      return unknown('the partner\'s version is not known', {
        details: { cause: partner.error ?? `${partner.facts?.source ?? 'the partner source'} does not tell the version`, notes: partner.notes, ...sourceNotes(partner.read) },
        fix: 'Give --partner-source (a windows-json bundle, export, inventory or kea: agent), or a directory with --ldap.',
      });
    }
    const p = partner.facts;
    const l = local.facts;
    for (const f of [p, l]) {
      if (f?.version && supports(f.platform, f.version) === undefined) {
        return unknown(`no minimum failover version is known for platform "${f.platform}"`, { details: { source: f.source, version: f.version.text } });
      }
    }
    const details: Record<string, unknown> = { partner: describeVersion(p), partnerSource: p.source };
    if (local.facts?.version) details.local = describeVersion(local.facts);
    if (partner.notes.length > 0) details.notes = partner.notes;
    if (supports(p.platform, p.version!) === false) {
      return fail(messages.version(), { details: { ...details, minimum: MINIMUM[p.platform]!.join('.') }, fix: 'Upgrade the partner.' });
    }
    if (l?.version && supports(l.platform, l.version) === false) {
      return fail(messages.version(), { details: { ...details, which: 'local', minimum: MINIMUM[l.platform]!.join('.') }, fix: 'Upgrade the local server.' });
    }
    if (l && l.platform !== p.platform) {
      return fail(messages.version(), {
        details: { ...details, cause: `a ${l.platform} server and a ${p.platform} server do not speak the same failover protocol` },
        fix: 'Pair servers of the same platform.',
      });
    }
    if (p.platform === 'kea') {
      const kea = keaHooks(l, p);
      if (kea.missing.length > 0) {
        return fail(messages.version(), {
          details: { ...details, situation: kea.situation, cause: kea.missing.join('; ') },
          fix: 'Load libdhcp_lease_cmds.so next to libdhcp_ha.so in hooks-libraries: HA sends lease updates through it.',
        });
      }
      details.situation = kea.situation;
      if (kea.situation === 'before setup') details.note = `before setup: load ${HA_LIBRARIES.join(' and ')} on both servers to configure HA`;
    }
    if (partner.disagree) return warn(partner.notes[partner.notes.length - 1]!, { details });
    if (l?.version && (l.version.major !== p.version!.major || l.version.minor !== p.version!.minor || (l.version.build !== undefined && p.version!.build !== undefined && l.version.build !== p.version!.build))) {
      return warn(`the servers run different versions (${l.version.text} and ${p.version!.text}); the same version is recommended`, { details });
    }
    return pass(`${describeVersion(p)} supports failover`, { details });
  },
};
