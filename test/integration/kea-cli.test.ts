import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { startKeaPair, startRecordingProxy, type KeaPair, type KeaScenario } from '../helpers/kea.js';
import { ReportSchema } from '../../src/report/schema.js';
import { ALLOWED_COMMANDS } from '../../src/sources/kea/client.js';

const SERVICE = 'DHCP server is not running on the specified server. Please ensure that DHCP server is running on the specified server.';
const PERMISSIONS = 'You do not have permissions to perform this operation on the remote DHCP server.';
const RELATIONSHIPS_1 = 'The partner server already has 1 (maximum allowed) failover relationships. A server cannot have more than 1 failover relationships.';
const KEA_DERIVED = ['version', 'permissions', 'relationships', 'service', 'time', 'scopes', 'peers'];

describe('the CLI against a real Kea 2.2 pair (kea: sources)', () => {
  let pair: KeaPair | undefined;
  afterEach(async () => {
    await pair?.stop();
    pair = undefined;
  });

  async function start(scenario: KeaScenario) {
    pair = await startKeaPair(scenario);
    return pair;
  }

  async function check(p: KeaPair, opts: { password?: string | null; partnerUrl?: string; extra?: string[] } = {}) {
    const password = opts.password === undefined ? p.credentials.password : opts.password;
    const run = await runCli(
      [
        '127.0.0.2',
        '--local-source',
        `kea:${p.local.url}`,
        '--partner-source',
        `kea:${opts.partnerUrl ?? p.partner.url}`,
        '--kea-user',
        'kea',
        '--timeout',
        '3s',
        '--format',
        'json',
        ...(opts.extra ?? []),
      ],
      { env: password === null ? {} : { KEA_PASSWORD: password }, timeoutMs: 30_000 },
    );
    const report = ReportSchema.parse(JSON.parse(run.stdout));
    const by = (id: string) => report.checks.find((c) => c.id === id)!;
    assert.ok(!run.stdout.includes(p.credentials.password) && !run.stderr.includes(p.credentials.password), 'the agent password leaked');
    return { run, report, by };
  }

  const statuses = (r: { checks: { id: string; status: string }[] }, ids: string[]) =>
    Object.fromEntries(r.checks.filter((c) => ids.includes(c.id)).map((c) => [c.id, c.status]));

  test('before setup, same subnets: every Kea-derived check passes; version names the HA libraries', async () => {
    const p = await start('before-setup');
    const { run, report, by } = await check(p);
    assert.deepEqual(statuses(report, KEA_DERIVED), Object.fromEntries(KEA_DERIVED.map((id) => [id, 'pass'])), run.stdout);
    assert.equal(by('version').details.situation, 'before setup');
    assert.match(String(by('version').details.note), /libdhcp_lease_cmds\.so and libdhcp_ha\.so/);
    assert.equal(by('reachability').status, 'pass', 'TCP to the partner agent port');
    assert.match(String((by('time').details.partner as { source: string }).source), /kea http-date/);
    assert.equal(run.code, 0, run.stdout);
  });

  test('before setup, a subnet missing on the partner: scopes warns', async () => {
    const p = await start('before-setup-missing-subnet');
    const { by } = await check(p);
    assert.equal(by('scopes').status, 'warn');
    assert.match(by('scopes').message, /10\.99\.1\.0\/24 \(id 2\) is missing on the partner/);
  });

  test('a configured healthy pair: every Kea-derived check passes, relationships says they are already partners; only allow-listed commands sent', async () => {
    const p = await start('configured');
    // Healthy means operating: a pair still in waiting/syncing is not ready (peers.ha-not-operating).
    await Promise.all([p.waitForHaState('local', 'hot-standby'), p.waitForHaState('partner', 'hot-standby')]);
    const proxy = await startRecordingProxy(p.partner.url);
    try {
      const { run, report, by } = await check(p, { partnerUrl: proxy.url });
      // Through the proxy the partner agent has another port, so peers and relationships cannot
      // match it by URL: those two are asserted on the direct run below.
      assert.deepEqual(
        statuses(report, ['version', 'permissions', 'service', 'time', 'scopes']),
        { version: 'pass', permissions: 'pass', service: 'pass', time: 'pass', scopes: 'pass' },
        run.stdout,
      );
      assert.equal(by('version').details.situation, 'configured pair');
      assert.ok(proxy.commands.length >= 3);
      for (const c of proxy.commands) assert.ok((ALLOWED_COMMANDS as readonly string[]).includes(c), `sent ${c}`);
    } finally {
      await proxy.close();
    }
    const { report, by } = await check(p);
    assert.deepEqual(statuses(report, KEA_DERIVED), Object.fromEntries(KEA_DERIVED.map((id) => [id, 'pass'])));
    assert.match(by('relationships').message, /already failover partners of each other/);
  });

  test("the partner's dhcp4 stopped behind a live agent: service fails with the exact message", async () => {
    const p = await start('before-setup');
    await p.stopDhcp4('partner');
    const { run, by } = await check(p);
    assert.equal(by('service').status, 'fail');
    assert.equal(by('service').message, SERVICE);
    assert.match(String(by('service').details.state), /likely to be offline|unable to forward/);
    assert.equal(run.code, 1);
  });

  test('wrong or no credentials: permissions fails with the exact message', async () => {
    const p = await start('before-setup');
    for (const password of ['not-the-password', null]) {
      const { by } = await check(p, { password });
      assert.equal(by('permissions').status, 'fail', String(password));
      assert.equal(by('permissions').message, PERMISSIONS);
    }
  });

  test('a subnet with a different id on the partner: scopes fails', async () => {
    const p = await start('different-subnet-id');
    const { by } = await check(p);
    assert.equal(by('scopes').status, 'fail');
    assert.match(by('scopes').message, /^Following subnets are not configured identically on the specified partner server\./);
    assert.match(by('scopes').message, /10\.99\.0\.0\/24: id 1 here, id 11 on the partner/);
  });

  test('the partner already in an HA relationship with a third server: relationships fails (Kea 2.2: one per server)', async () => {
    const p = await start('partner-paired-elsewhere');
    const { by } = await check(p);
    assert.equal(by('relationships').status, 'fail');
    assert.equal(by('relationships').message, RELATIONSHIPS_1);
    assert.match(JSON.stringify(by('relationships').details), /exactly one HA relationship/);
    assert.equal(by('peers').status, 'warn');
    assert.match(by('peers').message, /only the partner server has HA configured/);
  });
});
