// A leaf module: the plan, the config schema and the reporters need the ids without loading checks.

/** The nine documented checks in the order of Microsoft's "DHCP Failover Requirements", then ours. */
export const CHECK_IDS = [
  'dns',
  'ip',
  'reachability',
  'version',
  'permissions',
  'relationships',
  'service',
  'time',
  'scopes',
  // Beyond the nine: from the same document's requirements, and the platforms' pairing rules.
  'authorization',
  'static-address',
  'peers',
  'identity',
  'replication',
  'dns-updates',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];
