import type { ServerFacts } from '../../facts.js';
import { atLeast, describeWith } from '../version.js';
import { PRODUCTS } from '../ids.js';
import type { Pair, PlatformModule } from '../types.js';
import { matchPair, ownPeer, peerAt, peerFor, relationshipsOf, situation, urlHostPort } from './pairing.js';
import { keaJudgeScopes, keaPairScopes } from './scopes.js';

// ISC Kea with the High Availability hook (libdhcp_ha.so).

/** The HA hook first shipped in Kea 1.4; hub-and-spoke (several relationships) in 2.6. */
const MINIMUM = { major: 1, minor: 4 };
const HUB_AND_SPOKE = { major: 2, minor: 6 };
/** Kea's HA hook logs warnings above 30 s of clock skew and terminates HA above 60 s. */
const HA_TERMINATES_ABOVE_SECONDS = 60;
const HA_WARNS_ABOVE_SECONDS = 30;
const HA_LIBRARIES = ['libdhcp_lease_cmds.so', 'libdhcp_ha.so'];
const KEA_SKEW_ERROR_MS = 2000;

const hubAndSpoke = (facts: ServerFacts) => (facts.version ? atLeast(facts.version, HUB_AND_SPOKE.major, HUB_AND_SPOKE.minor) : undefined);

/** The mode the new relationship will have, known from a side that already names the other. */
function newMode(pair: Pair): string | undefined {
  const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
  return (m.local ?? m.partner)?.mode;
}

export const kea: PlatformModule = {
  id: 'kea',
  product: PRODUCTS.kea,
  versionVerdict(facts) {
    return {
      supported: atLeast(facts.version, MINIMUM.major, MINIMUM.minor),
      minimum: `${MINIMUM.major}.${MINIMUM.minor}`,
      described: describeWith(facts.version),
    };
  },
  pairRequirements(pair) {
    const problems: string[] = [];
    for (const [role, f] of [
      ['local', pair.local],
      ['partner', pair.partner],
    ] as const) {
      if (f?.kea?.haConfigured && f.kea.leaseCmdsHookLoaded === false) problems.push(`the ${role} server configures HA without libdhcp_lease_cmds.so`);
    }
    const sit = situation(pair.local, pair.partner);
    return {
      problems,
      fix: 'Load libdhcp_lease_cmds.so next to libdhcp_ha.so in hooks-libraries: HA sends lease updates through it.',
      details: {
        situation: sit,
        ...(sit === 'before setup' ? { note: `before setup: load ${HA_LIBRARIES.join(' and ')} on both servers to configure HA` } : {}),
      },
    };
  },
  relationshipLimit(facts) {
    if (facts.maxRelationships !== undefined) return { max: facts.maxRelationships, why: 'as the source states' };
    const hub = hubAndSpoke(facts);
    const v = facts.version ? ` ${facts.version.text}` : '';
    if (hub === false) return { max: 1, why: `Kea${v} supports exactly one HA relationship per server (hub-and-spoke needs 2.6+)` };
    if (hub === undefined) return { why: 'the Kea version is not known (before 2.6 one relationship per server, from 2.6 several hot-standby ones)' };
    return { why: `Kea${v} (2.6+) allows several relationships per server, all hot-standby (hub-and-spoke); no maximum is documented` };
  },
  existingPairing(pair) {
    const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
    if (!m.local && !m.partner) return undefined;
    return {
      local: m.local?.thisServerName ?? '',
      partner: m.partner?.thisServerName ?? '',
      ...((m.local ?? m.partner) ? { mode: (m.local ?? m.partner)!.mode } : {}),
    };
  },
  relationshipConflicts(pair) {
    const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
    const mode = newMode(pair);
    const out: string[] = [];
    for (const [role, f, mine] of [
      ['local', pair.local, m.local],
      ['partner', pair.partner, m.partner],
    ] as const) {
      const others = relationshipsOf(f).filter((r) => r !== mine);
      if (!f || others.length === 0 || hubAndSpoke(f) === false) continue;
      const lb = others.find((r) => r.mode !== 'hot-standby');
      if (lb)
        out.push(
          `the ${role} server has a ${lb.mode} relationship ("${lb.thisServerName}"): Kea allows several HA relationships only when all are hot-standby`,
        );
      else if (mode !== undefined && mode !== 'hot-standby')
        out.push(
          `the new relationship is ${mode}, but the ${role} server already has ${others.length} hot-standby relationship(s): "multiple HA relationships are only supported for 'hot-standby' mode"`,
        );
    }
    return out;
  },
  failoverEndpoint(pair) {
    const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
    // Where the partner listens for HA: the URL it gives itself, else the one we would call.
    const own = m.partner ? ownPeer(m.partner) : undefined;
    // Without the partner's facts (its source failed, or none), the local peer entry at its address.
    const called = m.local ? peerFor(m.local, m.partner) : pair.partnerAddress !== undefined ? peerAt(pair.local, pair.partnerAddress) : undefined;
    const url = (own ?? called)?.url;
    const hp = url ? urlHostPort(url) : undefined;
    if (hp) return { port: hp.port, what: 'Kea HA listener', note: `the partner's HA URL ${url}` };
    const control = pair.partnerEndpoint;
    if (control) return { port: control.port, what: 'Kea control channel', note: 'before setup: no HA URL yet, so the control port the source talks to' };
    return { port: 647, what: 'failover', note: 'no Kea source tells the HA URL' };
  },
  clockLimit(facts) {
    if (facts?.version && !atLeast(facts.version, MINIMUM.major, MINIMUM.minor)) return undefined;
    return { seconds: HA_TERMINATES_ABOVE_SECONDS, from: 'Kea HA (terminates above 60 s)' };
  },
  clockAdvice: {
    warnAboveSeconds: HA_WARNS_ABOVE_SECONDS,
    text: 'Kea HA logs warnings above 30 s and terminates HA above 60 s',
    fix: 'Synchronise both servers with the same NTP source before enabling HA.',
  },
  pairClock(pair) {
    // Kea 3.0 compares heartbeat date-times (1 s resolution on both sides): ±2 s.
    const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
    const from = (facts: typeof pair.local, rel: typeof m.local, sign: 1 | -1, who: string) => {
      const i = rel ? relationshipsOf(facts).indexOf(rel) : -1;
      const skew = i >= 0 ? facts?.kea?.haStatus?.[i]?.remoteClockSkewSeconds : undefined;
      return skew === undefined
        ? undefined
        : { differenceMs: sign * skew * 1000, errorMs: KEA_SKEW_ERROR_MS, source: `Kea status-get clock-skew on the ${who} server` };
    };
    return from(pair.local, m.local, 1, 'local') ?? from(pair.partner, m.partner, -1, 'partner');
  },
  pairScopes: keaPairScopes,
  judgeScopes: keaJudgeScopes,
  pairing: async (pair) => (await import('./peers.js')).keaPairing(pair),
  // HA peer URLs may name IPv6 addresses ("http://[2001:db8::1]:8000/").
  ipv6Peers: true,
  directoryAuthorization: false,
  fixes: {
    version: 'Upgrade Kea (HA needs 1.4 or later; several relationships per server need 2.6).',
    permissions: "Use the user and password of a basic-auth client of the partner's control socket (--kea-user, KEA_PASSWORD or --kea-password-file).",
    service: 'Start kea-dhcp4 on the partner (systemctl start kea-dhcp4-server) and check its control socket.',
    relationships: 'Kea before 2.6 allows one HA relationship per server; upgrade to 2.6+ for hub-and-spoke (hot-standby only), or pair another server.',
    time: 'Synchronise both servers with the same NTP source (chrony or ntpsec).',
  },
};
