import { dns } from './dns.js';
import { ip } from './ip.js';
import { reachability } from './reachability.js';
import { version } from './version.js';
import { permissions } from './permissions.js';
import { relationships } from './relationships.js';
import { service } from './service.js';
import { time } from './time.js';
import { scopes } from './scopes.js';
import type { Check } from './types.js';

/** Every check, in the order of Microsoft's "DHCP Failover Requirements" — the report keeps it. */
export const CHECKS: readonly Check[] = [dns, ip, reachability, version, permissions, relationships, service, time, scopes];
