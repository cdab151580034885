import assert from 'node:assert/strict';
import type { Outcome } from '../../src/checks/types.js';
import type { Platform, Relationship, ScopeFact, ServerFacts } from '../../src/facts.js';
import { parseScopeRequest } from '../../src/net/scope.js';
import { facts } from './context.js';

// What the check tests (test/unit/checks/*) share.

// The documented messages, written out here on purpose (not imported): a typo in
// src/checks/messages.ts must make these tests fail.
export const DNS = 'Unable to resolve the specified DNS name.';
export const REACH = 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.';
export const VERSION = 'The version of specified DHCP server does not support failover.';
export const PERMISSIONS = 'You do not have permissions to perform this operation on the remote DHCP server.';
export const REL_LOCAL = 'The local server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.';
export const REL_PARTNER =
  'The partner server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.';
export const SERVICE = 'DHCP server is not running on the specified server. Please ensure that DHCP server is running on the specified server.';
export const TIME_1 =
  'The time difference between this server and the specified partner server is greater than the permissible value of 1 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
export const TIME_HALF =
  'The time difference between this server and the specified partner server is greater than the permissible value of 0.5 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
export const TIME_1_5 =
  'The time difference between this server and the specified partner server is greater than the permissible value of 1.5 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
export const SCOPES =
  'Following scopes already exist on the specified partner server. These scope(s) will need to be deleted on the partner server before configuring failover.';

export const ipMessage = (address: string) => `The specified IP address ${address} is invalid.`;

export function expectFail(outcome: Outcome, message: string): void {
  assert.equal(outcome.status, 'fail', `expected fail, got ${outcome.status}: ${outcome.message}`);
  assert.equal(outcome.message, message);
}

export function expectStatus(outcome: Outcome, status: Outcome['status']): void {
  assert.equal(outcome.status, status, `expected ${status}, got ${outcome.status}: ${outcome.message}`);
}

export const scope = (text: string, extra: Partial<ScopeFact> = {}): ScopeFact => {
  const r = parseScopeRequest(text);
  assert.ok(r.prefix !== undefined);
  return { network: r.network, prefix: r.prefix, ...extra };
};

export const ver = (text: string, platform: Platform = 'windows'): ServerFacts => {
  const [major = 0, minor = 0] = text.split('.').map(Number);
  return facts({ platform, version: { product: platform === 'kea' ? 'Kea' : 'Windows DHCP Server', major, minor, text } });
};

export const rels = (n: number): Relationship[] => Array.from({ length: n }, (_, i) => ({ name: `rel-${i + 1}`, scopeIds: [] }));
