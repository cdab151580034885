import type { ScopeFact } from '../../facts.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { scopeText } from '../../net/scope.js';
import { namedPairing } from '../shared/named-pairing.js';
import { compareSameScopes } from '../shared/same-scopes.js';
import { atLeast, describeWith } from '../version.js';
import { PRODUCTS } from '../ids.js';
import type { PlatformModule } from '../types.js';

// ISC dhcpd 4.x failover (draft-ietf-dhc-failover-12), configured by `failover peer` statements.

/** The failover protocol came with ISC DHCP 3.0. */
const MINIMUM = { major: 3, minor: 0 };
/** The port of draft-ietf-dhc-failover (dhcpd's default `port` / `peer port`). */
const FAILOVER_PORT = 647;
/** dhcpd refuses a partner whose CONNECT time is more than 60 s off ("time offset too large"). */
const MAX_OFFSET_SECONDS = 60;

const range = (s: ScopeFact) =>
  s.rangeStart === undefined || s.rangeEnd === undefined ? 'no range' : `range ${formatIPv4(s.rangeStart)}-${formatIPv4(s.rangeEnd)}`;

export const iscDhcpd: PlatformModule = {
  id: 'isc-dhcpd',
  product: PRODUCTS['isc-dhcpd'],
  versionVerdict(facts) {
    return { supported: atLeast(facts.version, MINIMUM.major, MINIMUM.minor), minimum: `${MINIMUM.major}.${MINIMUM.minor}`, described: describeWith(facts.version) };
  },
  relationshipLimit(facts) {
    if (facts.maxRelationships !== undefined) return { max: facts.maxRelationships, why: 'as the source states' };
    return { why: 'dhcpd documents no maximum number of failover peers' };
  },
  existingPairing: namedPairing,
  failoverEndpoint() {
    return { port: FAILOVER_PORT, what: 'dhcpd failover' };
  },
  clockLimit() {
    return { seconds: MAX_OFFSET_SECONDS, from: 'dhcpd (refuses a partner more than 60 s off: "time offset too large")' };
  },
  judgeScopes(shared, partner) {
    const { problems, missing } = compareSameScopes(shared, partner, (mine, theirs) =>
      range(mine) !== range(theirs) ? [`${scopeText(mine)}: ${range(mine)} here, ${range(theirs)} on the partner`] : [],
    );
    return {
      rule: 'same-on-both',
      why: 'dhcpd failover peers must carry the same subnets and pools with the same ranges.',
      problems,
      missing,
      missingFails: true,
      fix: 'Give both servers the same subnet and pool declarations (dhcpd replicates no configuration).',
    };
  },
  directoryAuthorization: false,
  fixes: {
    version: 'Upgrade ISC DHCP to 3.0 or later (4.4 is the last release), or move to Kea.',
    permissions: 'Use the OMAPI key the partner\'s dhcpd.conf names with omapi-key.',
    service: 'Start dhcpd on the partner (systemctl start isc-dhcp-server).',
    relationships: 'Remove an unused failover peer declaration.',
    time: 'Synchronise both servers with the same NTP source (chrony or ntpsec).',
  },
};
