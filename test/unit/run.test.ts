import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPlanFile } from '../../src/plan-file/load.js';
import { preparePlan } from '../../src/plan-file/prepare.js';
import { runPlan } from '../../src/run.js';
import { flagOf, type ConfigInput } from '../../src/options.js';
import { InputError } from '../../src/util/errors.js';
import { reply, startFakeNtp, type FakeNtp } from '../helpers/fake-ntp.js';

const ENV = { env: {}, stdoutIsTTY: false };
const cli = (options: ConfigInput) => ({ options, label: flagOf });

let dir: string;
let hubClock: FakeNtp;
let spokeClock: FakeNtp;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dfc-plan-run-'));
  hubClock = await startFakeNtp((req) => [reply(req)]);
  spokeClock = await startFakeNtp((req) => [reply(req, { shiftMs: 90_000 })]);
});
after(async () => {
  await hubClock.close();
  await spokeClock.close();
  rmSync(dir, { recursive: true, force: true });
});

function inventory(name: string, scopes: string[], relationships = 0): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      platform: 'windows',
      version: '10.0',
      service: 'running',
      relationships: Array.from({ length: relationships }, (_, i) => ({ name: `${name}-${i}`, scopes: [`10.9.${i}.0`] })),
      scopes: scopes.map((scope) => ({ scope })),
    }),
  );
  return `inventory:${name}.json`;
}

async function hubPlan(extra = ''): Promise<string> {
  const lines = [
    'servers:',
    `  hub: { address: 127.0.0.1, source: "${inventory('hub', ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24'], 30)}", ntp: "127.0.0.1:${hubClock.port}" }`,
    ...[1, 2, 3].map(
      (i) => `  s${i}: { address: 127.0.0.${i + 1}, source: "${inventory(`s${i}`, [`192.168.${i}.0/24`])}", ntp: "127.0.0.1:${spokeClock.port}" }`,
    ),
    'pairings:',
    '  - { local: hub, partner: s1, scopes: [10.1.0.0/24] }',
    '  - { local: hub, partner: s2 }',
    '  - { local: s3, partner: hub, scopes: [192.168.3.0/24] }',
    'options: { only: [relationships, scopes, time], timeout: 2s }',
    extra,
  ];
  const path = join(dir, 'plan.yaml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('preparePlan', () => {
  it("builds one Plan per pairing from the servers; the command line overrides the plan's options", async () => {
    const loaded = await readPlanFile(await hubPlan());
    const plan = await preparePlan(loaded, cli({ timeout: '1s', format: 'json' }), ENV);
    const plans = plan.pairings.map((p) => p.plan);
    assert.equal(plans.length, 3);
    assert.deepEqual(
      plans.map((p) => [p.local, p.partner]),
      [
        ['127.0.0.1', '127.0.0.2'],
        ['127.0.0.1', '127.0.0.3'],
        ['127.0.0.4', '127.0.0.1'],
      ],
    );
    assert.deepEqual(
      plans.map((p) => p.timeoutMs),
      [1000, 1000, 1000],
    );
    assert.equal(plan.output.format, 'json');
    assert.deepEqual(plans[0]!.checks, ['relationships', 'time', 'scopes']);
    assert.deepEqual(plans[0]!.localNtp, { host: '127.0.0.1', port: hubClock.port });
    assert.equal(plans[1]!.scopes, undefined, 'no scopes: every scope of the local server');
  });

  it('per-pair flags are refused; a bad pairing value names the pairing', async () => {
    const loaded = await readPlanFile(await hubPlan());
    await assert.rejects(
      preparePlan(loaded, cli({ localSource: 'inventory:x' }), ENV),
      (e: unknown) => e instanceof InputError && /--local-source cannot be used with a plan/.test(e.message),
    );
    const bad = { ...loaded, pairings: [{ local: 'hub', partner: 's1', scopes: ['10.1.0.0/33'] }] };
    await assert.rejects(
      preparePlan(bad, cli({}), ENV),
      (e: unknown) => e instanceof InputError && /plan\.yaml: pairings\.0\.scopes: "10\.1\.0\.0\/33"/.test(e.message),
    );
  });
});

describe('runPlan', () => {
  it('reads each clock once for the whole plan, budgets in file order, keeps file order whatever the concurrency', async () => {
    const before = { hub: hubClock.requests.length, spoke: spokeClock.requests.length };
    const prepared = await preparePlan(await readPlanFile(await hubPlan()), cli({}), ENV);
    const done: string[] = [];
    const results = (await runPlan({ ...prepared, concurrency: 2 }, new AbortController().signal, { onDone: (l) => done.push(l) })).pairings;
    assert.equal(hubClock.requests.length - before.hub, 1, 'the hub is in three pairings, its clock read once');
    assert.equal(spokeClock.requests.length - before.spoke, 3, 'one reading per spoke');
    assert.deepEqual(done.sort(), ['1:hub->s1', '2:hub->s2', '3:s3->hub']);
    assert.deepEqual(
      results.map((r) => `${r.local.name}->${r.partner.name}`),
      ['hub->s1', 'hub->s2', 's3->hub'],
    );
    const rel = results.map((r) => r.report.checks.find((c) => c.id === 'relationships')!);
    // 30 existing: the first pairing fits, the second is the 32nd, the third sees the hub as partner.
    assert.deepEqual(
      rel.map((c) => c.status),
      ['pass', 'fail', 'fail'],
    );
    assert.match(rel[1]!.message, /^The local server already has 31 \(maximum allowed\)/);
    assert.match(rel[2]!.message, /^The partner server already has 31 \(maximum allowed\)/);
    // The second pairing shares every hub scope, one of which the first already takes.
    const scopes = results.map((r) => r.report.checks.find((c) => c.id === 'scopes')!);
    assert.equal(scopes[0]!.status, 'pass');
    assert.equal(scopes[1]!.status, 'fail');
    assert.match(scopes[1]!.message, /Scope 10\.1\.0\.0 is already in failover relationship "planned: hub-s1" on the local server\./);
    // The spokes' clocks are 90 s ahead: the shared reading is judged per pairing.
    assert.deepEqual(
      results.map((r) => r.report.checks.find((c) => c.id === 'time')!.status),
      ['fail', 'fail', 'fail'],
    );
  });

  it('works on at most --concurrency pairings at once; one waiting on its servers yields its place', async () => {
    // Every spoke's clock answers after 250 ms: the arrival times show how many pairings ran together.
    const arrivals: number[] = [];
    const slow = await startFakeNtp((req) => {
      arrivals.push(performance.now());
      return [{ data: () => reply(req), delayMs: 250 }];
    });
    try {
      const spokes = [1, 2, 3, 4, 5, 6];
      const path = join(dir, 'wide.yaml');
      writeFileSync(
        path,
        [
          'servers:',
          `  hub: { address: 127.0.0.1, ntp: "127.0.0.1:${hubClock.port}" }`,
          ...spokes.map((i) => `  w${i}: { address: 127.0.0.${i + 1}, ntp: "127.0.0.1:${slow.port}" }`),
          'pairings:',
          ...spokes.map((i) => `  - { local: hub, partner: w${i}, scopes: [10.${i}.0.0/24] }`),
          'options: { only: [time], timeout: 2s }',
        ].join('\n'),
      );
      const prepared = await preparePlan(await readPlanFile(path), cli({}), ENV);
      const started = performance.now();
      const results = (await runPlan({ ...prepared, concurrency: 2 }, new AbortController().signal)).pairings;
      const took = performance.now() - started;
      assert.equal(results.length, 6);
      assert.equal(arrivals.length, 6);
      // Two pairings at a time; each waits 250 ms on its clock, so it yields its worker after 200 ms:
      // three waves at least 200 ms apart, none waiting for the one before it to end.
      for (const a of arrivals) assert.ok(arrivals.filter((b) => b >= a && b < a + 150).length <= 2, arrivals.map((x) => (x - started).toFixed(0)).join(' '));
      assert.ok(took >= 650, `three waves 200 ms apart, each 250 ms long, took ${took.toFixed(0)} ms`);
      assert.deepEqual(
        results.map((r) => r.report.checks.find((c) => c.id === 'time')!.status),
        ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'],
      );
    } finally {
      await slow.close();
    }
  });

  it('a silent server costs a waiting socket, not a worker', async () => {
    const silent = await startFakeNtp(() => []);
    try {
      const path = join(dir, 'silent.yaml');
      writeFileSync(
        path,
        [
          'servers:',
          `  hub: { address: 127.0.0.1, ntp: "127.0.0.1:${hubClock.port}" }`,
          `  mute: { address: 127.0.0.2, ntp: "127.0.0.1:${silent.port}" }`,
          ...[3, 4, 5].map((i) => `  s${i}: { address: 127.0.0.${i}, ntp: "127.0.0.1:${hubClock.port}" }`),
          'pairings:',
          '  - { local: hub, partner: mute, scopes: [10.2.0.0/24] }',
          ...[3, 4, 5].map((i) => `  - { local: hub, partner: s${i}, scopes: [10.${i}.0.0/24] }`),
          'options: { only: [time], timeout: 3s }',
        ].join('\n'),
      );
      const prepared = await preparePlan(await readPlanFile(path), cli({}), ENV);
      const done: string[] = [];
      const report = await runPlan({ ...prepared, concurrency: 1 }, new AbortController().signal, { onDone: (l) => done.push(l) });
      // One worker: the silent pairing is first, yet every other pairing ends before it.
      assert.deepEqual(done, ['2:hub->s3', '3:hub->s4', '4:hub->s5', '1:hub->mute']);
      assert.deepEqual(
        report.pairings.map((p) => p.report.checks.find((c) => c.id === 'time')!.status),
        ['unknown', 'pass', 'pass', 'pass'],
      );
    } finally {
      await silent.close();
    }
  });

  it('an aborted plan starts no further pairing', async () => {
    const prepared = await preparePlan(await readPlanFile(await hubPlan()), cli({}), ENV);
    const controller = new AbortController();
    const results = (await runPlan({ ...prepared, concurrency: 1 }, controller.signal, { onDone: () => controller.abort() })).pairings;
    assert.equal(results.length, 1);
  });
});
