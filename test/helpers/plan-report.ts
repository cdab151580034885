import { STATUSES, type Status } from '../../src/checks/ids.js';
import { messages } from '../../src/checks/messages.js';
import type { CheckResult, PairingResult, Report } from '../../src/report/types.js';

// Single-pair reports for the plan reporters' unit tests: two pairings of a hub, the second full.

const pass = (id: CheckResult['id'], message: string): CheckResult => ({
  id,
  title: `${id} title`,
  status: 'pass',
  code: `${id}.test-pass`,
  message,
  details: {},
  durationMs: 1,
});

export function pairReport(partner: string, checks: CheckResult[]): Report {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const c of checks) summary[c.status]++;
  return {
    schemaVersion: 1,
    tool: { name: 'dhcp-failover-check', version: '0.1.0' },
    partner: { input: partner, address: partner },
    local: { input: '10.0.0.1', source: 'inventory:/plans/hub.yaml' },
    startedAt: '2026-01-01T00:00:00.000Z',
    phase: 'live',
    durationMs: 120,
    checks,
    summary,
    exitCode: checks.some((c) => c.status === 'fail') ? 1 : checks.some((c) => c.status === 'unknown') ? 3 : 0,
  };
}

export const FULL = messages.relationships('local', 31);

export const PAIRINGS: PairingResult[] = [
  {
    local: { name: 'hub', address: '10.0.0.1' },
    partner: { name: 'branch1', address: '10.1.0.1' },
    report: pairReport('10.1.0.1', [pass('dns', 'given'), pass('relationships', 'room'), pass('scopes', 'fine')]),
  },
  {
    local: { name: 'hub', address: '10.0.0.1' },
    partner: { name: 'branch#2', address: '10.2.0.1' },
    report: pairReport('10.2.0.1', [
      pass('dns', 'given'),
      {
        id: 'relationships',
        title: 'relationships title',
        status: 'fail',
        code: 'relationships.maximum-reached',
        message: FULL,
        details: { local: { count: 31 } },
        durationMs: 2,
      },
      { id: 'scopes', title: 'scopes <title>', status: 'unknown', code: 'scopes.not-known', message: 'not known', details: {}, durationMs: 0 },
    ]),
  },
];
