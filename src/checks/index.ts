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
import { peers } from './peers.js';
import type { Check } from './types.js';

/** The nine documented checks in the order of Microsoft's "DHCP Failover Requirements", then ours. */
export const CHECKS: readonly Check[] = [dns, ip, reachability, version, permissions, relationships, service, time, scopes, authorization, peers];
