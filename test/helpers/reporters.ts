import { messages } from '../../src/checks/messages.js';
import { STATUSES, type Status } from '../../src/checks/ids.js';
import type { CheckResult, Report } from '../../src/report/types.js';

// The report of the README's example run (nine checks, every status), for the reporter tests in
// test/unit/report/.

export const TIME_MESSAGE = messages.time('1');
export const SCOPES = Array.from({ length: 14 }, (_, i) => `10.0.${i}.0/24`);

export const CHECKS: CheckResult[] = [
  {
    id: 'dns',
    title: 'Partner name resolves',
    status: 'pass',
    code: 'dns.test-pass',
    message: 'dhcp2.example.com is 192.0.2.2',
    details: { address: '192.0.2.2' },
    durationMs: 4,
  },
  { id: 'ip', title: 'Partner address is a valid IPv4 address', status: 'pass', code: 'ip.test-pass', message: '192.0.2.2', details: {}, durationMs: 0 },
  {
    id: 'reachability',
    title: 'Partner is reachable',
    status: 'pass',
    code: 'reachability.test-pass',
    message: 'TCP 647 answered in 3 ms',
    details: { port: 647 },
    durationMs: 3,
  },
  {
    id: 'version',
    title: 'Partner version supports failover',
    status: 'unknown',
    code: 'version.test-unknown',
    message: 'Could not read the partner version: Kea Control Agent answered HTTP 503.',
    details: { source: 'kea http://192.0.2.2:8000/', httpStatus: 503 },
    durationMs: 120,
  },
  {
    id: 'permissions',
    title: 'Permissions on the partner',
    status: 'skip',
    code: 'permissions.test-skip',
    message: 'not selected',
    details: {},
    durationMs: 0,
  },
  {
    id: 'relationships',
    title: 'Room for another failover relationship',
    status: 'warn',
    code: 'relationships.test-warn',
    ignored: true,
    message: messages.relationships('partner', 31),
    details: { partner: 31, names: ['a', 'b', 'c', 'd', 'e'] },
    fix: 'Remove an unused relationship on the partner',
    durationMs: 8,
  },
  { id: 'service', title: 'DHCP service is running', status: 'pass', code: 'service.test-pass', message: 'running on both', details: {}, durationMs: 2 },
  {
    id: 'time',
    title: 'Time is synchronized between both servers',
    status: 'fail',
    code: 'time.test-fail',
    message: TIME_MESSAGE,
    details: { skewSeconds: 95.2, limitSeconds: 60, clocks: { local: 'this machine', partner: 'sntp 192.0.2.2:123' } },
    fix: 'Set up NTP on both servers',
    durationMs: 40,
  },
  {
    id: 'scopes',
    title: 'Scopes do not already exist on the partner',
    status: 'fail',
    code: 'scopes.test-fail',
    message: messages.scopes(),
    details: { scopes: SCOPES, source: [{ kind: 'windows-json', path: 'partner.json' }] },
    durationMs: 1,
  },
];

function summarise(checks: CheckResult[]): Record<Status, number> {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return summary;
}

export function makeReport(checks: CheckResult[] = CHECKS): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'dhcp-failover-check', version: '0.1.0' },
    partner: { input: 'dhcp2.example.com', address: '192.0.2.2' },
    local: { input: null, source: 'windows-json local.json' },
    startedAt: '2025-01-01T00:00:00.000Z',
    phase: 'live',
    durationMs: 180,
    checks,
    summary: summarise(checks),
    exitCode: checks.some((c) => c.status === 'fail') ? 1 : 0,
  };
}

export const plain = { color: false, verbose: false };
export const ANSI = /\x1b\[/;
