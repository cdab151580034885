import { dns } from './dns.js';
import { ip } from './ip.js';
import { reachability } from './reachability.js';
import { version } from './version.js';
import { permissions } from './permissions.js';
import { relationships } from './relationships.js';
import { service } from './service.js';
import { time } from './time.js';
import { scopes } from './scopes.js';
import { authorization } from './authorization.js';
import { staticAddress } from './static-address.js';
import { peers } from './peers.js';
import { identity } from './identity.js';
import { replication } from './replication.js';
import { dnsUpdates } from './dns-updates.js';
import { CHECK_IDS, type CheckId } from './ids.js';
import type { Check } from './types.js';

/** One entry per check id: a new check is its file, its tests and one line here (and in ids.ts). */
export const CHECKS_BY_ID = {
  dns,
  ip,
  reachability,
  version,
  permissions,
  relationships,
  service,
  time,
  scopes,
  authorization,
  'static-address': staticAddress,
  peers,
  identity,
  replication,
  'dns-updates': dnsUpdates,
} as const satisfies Record<CheckId, Check>;

/** In documented order (the order of CHECK_IDS). */
export const CHECKS: readonly Check[] = CHECK_IDS.map((id) => CHECKS_BY_ID[id]);
