import { namedPairing } from '../shared/named-pairing.js';
import { atLeast, describeWith } from '../version.js';
import { PRODUCTS } from '../ids.js';
import type { Pair, PlatformModule } from '../types.js';
import { DEFAULT_PORT, matchPeers } from './match.js';
import { dhcpdJudgeScopes } from './scopes.js';

// ISC dhcpd 4.x failover (draft-ietf-dhc-failover-12), configured by `failover peer` statements.

/** The failover protocol came with ISC DHCP 3.0. */
const MINIMUM = { major: 3, minor: 0 };
/** dhcpd refuses a partner whose CONNECT time is more than 60 s off ("time offset too large"). */
const MAX_OFFSET_SECONDS = 60;

/** The declarations on each side that pair these two (dhcpd.conf sources), else by the partner each names. */
function existingPairing(pair: Pair) {
  if (!pair.local?.dhcpd || !pair.partner?.dhcpd) return namedPairing(pair);
  const m = matchPeers(pair);
  if (m.by !== 'name' && m.by !== 'address') return undefined;
  return { local: m.local?.name ?? '', partner: m.partner?.name ?? '' };
}

export const iscDhcpd: PlatformModule = {
  id: 'isc-dhcpd',
  product: PRODUCTS['isc-dhcpd'],
  versionVerdict(facts) {
    return {
      supported: atLeast(facts.version, MINIMUM.major, MINIMUM.minor),
      minimum: `${MINIMUM.major}.${MINIMUM.minor}`,
      described: describeWith(facts.version),
    };
  },
  relationshipLimit(facts) {
    if (facts.maxRelationships !== undefined) return { max: facts.maxRelationships, why: 'as the source states' };
    return { why: 'dhcpd documents no maximum number of failover peers' };
  },
  existingPairing,
  failoverEndpoint(pair) {
    // Where the local server will connect: its declaration's `peer port` (dhcpd's default 647).
    const m = matchPeers(pair);
    if (m.local) {
      const p = m.local.peerPort;
      return {
        port: p?.value ?? DEFAULT_PORT,
        what: 'dhcpd failover',
        note: p
          ? `peer port of failover peer "${m.local.name}" (${p.file} line ${p.line})`
          : `failover peer "${m.local.name}" sets no peer port: dhcpd's default`,
      };
    }
    if (m.partner?.port) return { port: m.partner.port.value, what: 'dhcpd failover', note: `port of the partner's failover peer "${m.partner.name}"` };
    return { port: DEFAULT_PORT, what: 'dhcpd failover' };
  },
  clockLimit() {
    return { seconds: MAX_OFFSET_SECONDS, from: 'dhcpd (refuses a partner more than 60 s off: "time offset too large")' };
  },
  judgeScopes: dhcpdJudgeScopes,
  pairing: async (pair) => (await import('./peers.js')).dhcpdPairing(pair),
  directoryAuthorization: false,
  fixes: {
    version: 'Upgrade ISC DHCP to 3.0 or later (4.4 is the last release), or move to Kea.',
    permissions: "Use the OMAPI key the partner's dhcpd.conf names with omapi-key.",
    service: 'Start dhcpd on the partner (systemctl start isc-dhcp-server).',
    relationships: 'Remove an unused failover peer declaration.',
    time: 'Synchronise both servers with the same NTP source (chrony or ntpsec).',
  },
};
