import { findCollisions } from '../../net/scope.js';
import { describeWith } from '../version.js';
import { PRODUCTS } from '../ids.js';
import type { PlatformModule } from '../types.js';

// A server no source could place (no source given, or an inventory saying "other"). Nothing
// platform-specific is claimed: no minimum version, no limit; fixes name what each platform needs.

export const other: PlatformModule = {
  id: 'other',
  product: PRODUCTS.other,
  versionVerdict(facts) {
    return { supported: undefined, described: describeWith(facts.version) };
  },
  relationshipLimit() {
    return { why: 'no maximum is known for this platform' };
  },
  failoverEndpoint() {
    // 647 is the port of the failover protocol of both Windows and ISC dhcpd.
    return { port: 647, what: 'failover', firewall: 'on Windows, the firewall rule "Microsoft-Windows-DHCP-Failover-TCP-In"' };
  },
  clockLimit() {
    return undefined;
  },
  judgeScopes(shared, partner) {
    return {
      rule: 'absent-on-partner',
      collisions: findCollisions(shared, partner),
      fix: 'Delete these scopes on the partner, or leave them out with --scope.',
    };
  },
  directoryAuthorization: false,
  fixes: {
    version: 'Upgrade the partner to a version that supports failover.',
    permissions: "Use an account that may administer the partner's DHCP server.",
    service: 'Start the DHCP service on the partner.',
    relationships: 'Remove an unused failover relationship.',
    time: 'Synchronise both servers with the same NTP source.',
  },
};
