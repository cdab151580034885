import type { ServerFacts } from '../../facts.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { findCollisions } from '../../net/scope.js';
import { atLeast, describeWith } from '../version.js';
import { PRODUCTS } from '../ids.js';
import { isSplitPair } from './split-scope.js';
import { nativeErrorOf } from './native-errors.js';
import type { PlatformModule } from '../types.js';
import { judgeReplication } from './replication.js';
import { judgeDnsUpdates } from './dns-updates.js';
import { judgeWindowsPairing } from './pairing.js';

// Windows Server DHCP failover, as Microsoft's "DHCP Failover Requirements" describes it.

/** DHCP failover came with Windows Server 2012 (DhcpServer 6.2). */
const MINIMUM = { major: 6, minor: 2 };
/** "A server cannot have more than 31 failover relationships." */
export const MAX_RELATIONSHIPS = 31;
/** The failover protocol's TCP port, and the inbound rule the DHCP role adds for it. */
const FAILOVER_PORT = 647;
/** MaxClockSkew when DhcpMsgSyncDeltaTime is absent: one minute. */
const WINDOWS_DEFAULT_SKEW_SECONDS = 60;
const FIREWALL_RULE = 'Microsoft-Windows-DHCP-Failover-TCP-In';

const NAMES: Record<string, string> = {
  '6.0': 'Windows Server 2008',
  '6.1': 'Windows Server 2008 R2',
  '6.2': 'Windows Server 2012',
  '6.3': 'Windows Server 2012 R2',
  '10.0': 'Windows Server 2016 or later',
};

const SPLIT_SCOPE = {
  what: 'a split-scope pair (each server excludes the addresses the other hands out)',
  wayOut: 'remove the scope from the partner after its leases expire or are merged, then configure failover from the primary',
};

export const windows: PlatformModule = {
  id: 'windows',
  product: PRODUCTS.windows,
  versionVerdict(facts) {
    const v = facts.version;
    return {
      supported: atLeast(v, MINIMUM.major, MINIMUM.minor),
      minimum: `${MINIMUM.major}.${MINIMUM.minor}`,
      described: describeWith(v, NAMES[`${v.major}.${v.minor}`]),
    };
  },
  relationshipLimit(facts: ServerFacts) {
    const max = facts.maxRelationships ?? MAX_RELATIONSHIPS;
    return { max, why: `a Windows DHCP server can have at most ${max}` };
  },
  failoverEndpoint() {
    return { port: FAILOVER_PORT, what: 'failover', firewall: `Windows firewall rule "${FIREWALL_RULE}"` };
  },
  clockLimit(facts) {
    const own = facts?.maxClockSkewSeconds;
    // "the registry value is read from both servers and the minimum is used; where it is not
    // set, the default (1 minute) is used" (Microsoft, DHCP failover time synchronization).
    return own === undefined ? { seconds: WINDOWS_DEFAULT_SKEW_SECONDS, from: 'Windows default' } : { seconds: own, from: 'server setting' };
  },
  // W32Time serves NTP only on domain controllers; every Windows server answers SMB2 on 445.
  smbClockPort: 445,
  // A scope belongs to at most one failover relationship.
  scopeTaken(local, scope) {
    return local.relationships?.find((r) => r.scopeIds.includes(formatIPv4(scope.network)));
  },
  judgeScopes(shared, partner) {
    return {
      rule: 'absent-on-partner',
      collisions: findCollisions(shared, partner).map((c) => (c.same && isSplitPair(c.scope, c.same) ? { ...c, kind: SPLIT_SCOPE } : c)),
      fix: 'Delete these scopes on the partner (Remove-DhcpServerv4Scope), or leave them out with --scope.',
    };
  },
  nativeError(outcomeCode, message) {
    const e = nativeErrorOf(outcomeCode, message);
    return e && { key: 'windowsError', ...e, said: `Add-DhcpServerv4Failover would fail with ${e.code} ${e.name}` };
  },
  replication: judgeReplication,
  dnsUpdates: judgeDnsUpdates,
  pairing: judgeWindowsPairing,
  directoryAuthorization: true,
  fixes: {
    version: 'Upgrade to Windows Server 2012 or later (DHCP failover needs DhcpServer 6.2).',
    permissions: 'Add the user to the partner\'s "DHCP Administrators" group (or Administrators), then log on again.',
    service: 'Start the DHCP Server service on the partner (Start-Service DHCPServer).',
    relationships:
      'Remove an unused relationship (Remove-DhcpServerv4Failover), or add the scopes to an existing relationship with the same partner (Add-DhcpServerv4FailoverScope).',
    time: 'Synchronise both servers with the same time source (w32tm /resync; domain members follow the domain hierarchy).',
    staticAddress:
      'Give it a static address: Set-NetIPInterface -InterfaceAlias <alias> -Dhcp Disabled, then New-NetIPAddress -InterfaceAlias <alias> -IPAddress <address> -PrefixLength <n> -DefaultGateway <gateway>.',
    authorization: 'Authorize it: Add-DhcpServerInDC -DnsName <server> -IPAddress <address> (as an Enterprise Admin).',
  },
};
