import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_IDS } from '../../src/checks/ids.js';
import { windowsInventory } from '../helpers/inventory.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { runCli } from '../helpers/cli.js';
import { startKeaPair, startRecordingProxy, type KeaPair, type RecordingProxy } from '../helpers/kea.js';
import { createSilentNet, type SilentNet } from '../helpers/netns.js';
import { PlanReportSchema, ReportSchema } from '../../src/report/schema.js';

// Microsoft's words, written out here on purpose.
const FULL_31 = 'The local server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.';
const FULL_1 = 'The local server already has 1 (maximum allowed) failover relationships. A server cannot have more than 1 failover relationships.';

type PlanJson = ReturnType<typeof PlanReportSchema.parse>;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'dfc-plan-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function parsePlan(stdout: string): PlanJson {
  const r = PlanReportSchema.parse(JSON.parse(stdout));
  // Each pairing's checks are exactly the single-pair report's.
  for (const p of r.pairings) ReportSchema.shape.checks.parse(p.checks);
  return r;
}
const check = (p: PlanJson['pairings'][number], id: string) => p.checks.find((c) => c.id === id)!;

/** A hub with 29 relationships and three new spokes, in a sub-folder so relative paths are exercised. */
function hubPlan(): string {
  write('hub.json', windowsInventory('hub', '127.0.0.1', ['10.1.10.0/24', '10.2.10.0/24', '10.3.10.0/24'], 29));
  for (const i of [1, 2, 3]) write(`branch${i}.json`, windowsInventory(`branch${i}`, `127.0.0.${i + 1}`, [`192.168.${i}.0/24`]));
  return write(
    'hub-plan.yaml',
    [
      'servers:',
      '  hub:     { address: 127.0.0.1, source: "inventory:hub.json" }',
      '  branch1: { address: 127.0.0.2, source: "inventory:branch1.json" }',
      '  branch2: { address: 127.0.0.3, source: "inventory:branch2.json" }',
      '  branch3: { address: 127.0.0.4, source: "inventory:branch3.json" }',
      'pairings:',
      '  - { local: hub, partner: branch1, scopes: [10.1.10.0/24] }',
      '  - { local: hub, partner: branch2, scopes: [10.2.10.0/24] }',
      '  - { local: hub, partner: branch3, scopes: [10.3.10.0/24] }',
      'options: { timeout: 2s, skip: [time] }',
      '',
    ].join('\n'),
  );
}

describe('plan <file>: the batch budget (Windows hub-and-spoke from inventory files)', () => {
  test('a hub with 29 relationships and three new spokes: the third fails relationships with the exact message, the first two pass', async () => {
    const plan = hubPlan();
    const run = await runCli(['plan', plan, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const r = parsePlan(run.stdout);
    assert.equal(r.plan, plan);
    assert.deepEqual(
      r.pairings.map((p) => [p.local.name, p.partner.name]),
      [
        ['hub', 'branch1'],
        ['hub', 'branch2'],
        ['hub', 'branch3'],
      ],
    );
    assert.deepEqual(
      r.pairings.map((p) => check(p, 'relationships').status),
      ['pass', 'pass', 'fail'],
    );
    assert.equal(check(r.pairings[2]!, 'relationships').message, FULL_31);
    assert.equal(check(r.pairings[2]!, 'relationships').code, 'relationships.maximum-reached');
    const counts = r.pairings.map((p) => (check(p, 'relationships').details.local as { count: number }).count);
    assert.deepEqual(counts, [29, 30, 31], 'existing plus the earlier pairings of the plan');
    assert.deepEqual(
      r.pairings.map((p) => p.exitCode),
      [0, 0, 1],
    );
    assert.equal(r.exitCode, 1, 'the worst pairing');
    assert.deepEqual(r.summary.pairings, { total: 3, ok: 2, failed: 1, unknown: 0 });
    assert.equal(r.summary.checks.fail, 1);
  });

  test('human output is grouped by pairing, one summary line each, then the plan; JUnit one testsuite per pairing; TAP subtests', async () => {
    const plan = hubPlan();
    const junitFile = join(dir, 'r.xml');
    const tapFile = join(dir, 'r.tap');
    const run = await runCli(['plan', plan, '--output', `junit=${junitFile}`, '--output', `tap=${tapFile}`]);
    assert.equal(run.code, 1, run.stderr);
    const heads = run.stdout.split('\n').filter((l) => l.startsWith('━━ pairing'));
    assert.deepEqual(heads, ['━━ pairing 1/3: hub -> branch1 ━━', '━━ pairing 2/3: hub -> branch2 ━━', '━━ pairing 3/3: hub -> branch3 ━━']);
    assert.equal(run.stdout.match(new RegExp(`^${CHECK_IDS.length} checks: .* — exit code \\d$`, 'gm'))?.length, 3, run.stdout);
    assert.match(run.stdout, /\nplan: 3 pairings: 2 ok, 1 failed, 0 undetermined .* — exit code 1\n$/);
    assert.ok(run.stdout.includes(FULL_31));

    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junitFile, 'utf8'));
    const suites = junit.testsuites.testsuite as {
      '@_name': string;
      '@_failures': string;
      testcase: { '@_name': string; failure?: { '@_message': string } }[];
    }[];
    assert.equal(suites.length, 3);
    assert.deepEqual(
      suites.map((s) => s['@_failures']),
      ['0', '0', '1'],
    );
    assert.match(suites[2]!['@_name'], /hub -> branch3/);
    assert.equal(suites[2]!.testcase.find((c) => c['@_name'].startsWith('relationships'))?.failure?.['@_message'], FULL_31);
    assert.equal(junit.testsuites['@_tests'], String(3 * CHECK_IDS.length));

    const tap = readFileSync(tapFile, 'utf8');
    assert.match(tap, new RegExp(`^TAP version 14\n1\\.\\.3\n# Subtest: hub -> branch1\n {4}1\\.\\.${CHECK_IDS.length}\n`));
    assert.match(tap, /\nok 1 - hub -> branch1\n/);
    assert.match(tap, /\nok 2 - hub -> branch2\n/);
    assert.match(tap, /\nnot ok 3 - hub -> branch3\n/);
    assert.match(tap, /\n {4}not ok 6 - relationships: /);
  });

  test('a scope planned into two pairings fails scopes on the second, in the style of the local-relationship line', async () => {
    write('hub2.json', windowsInventory('hub2', '127.0.0.1', ['10.1.10.0/24', '10.2.10.0/24']));
    write('s1.json', windowsInventory('s1', '127.0.0.2', ['192.168.1.0/24']));
    write('s2.json', windowsInventory('s2', '127.0.0.3', ['192.168.2.0/24']));
    const plan = write('scope-plan.json', {
      servers: {
        hub: { address: '127.0.0.1', source: 'inventory:hub2.json' },
        s1: { address: '127.0.0.2', source: 'inventory:s1.json' },
        s2: { address: '127.0.0.3', source: 'inventory:s2.json' },
      },
      pairings: [
        { local: 'hub', partner: 's1', scopes: ['10.1.10.0/24'] },
        { local: 'hub', partner: 's2', scopes: ['10.2.10.0/24', '10.1.10.0'] },
      ],
      options: { timeout: '2s', skip: ['time'] },
    });
    const run = await runCli(['plan', plan, '--format', 'json']);
    const r = parsePlan(run.stdout);
    assert.equal(check(r.pairings[0]!, 'scopes').status, 'pass');
    assert.equal(check(r.pairings[1]!, 'scopes').status, 'fail');
    assert.equal(check(r.pairings[1]!, 'scopes').message, 'Scope 10.1.10.0 is already in failover relationship "planned: hub-s1" on the local server.');
    assert.equal(run.code, 1);
  });
});

describe('plan <file>: bad plans are exit 2 with one line naming the problem', () => {
  test('unknown server, a server with itself, a duplicate pairing, a per-pair flag, a bad concurrency, a bad source', async () => {
    const servers = 'servers:\n  a: { address: 127.0.0.1 }\n  b: { address: 127.0.0.2 }\n';
    const cases: [string, string[], RegExp][] = [
      [`${servers}pairings:\n  - { local: a, partner: nosuch }\n`, [], /pairings\.0\.partner: unknown server "nosuch"/],
      [`${servers}pairings:\n  - { local: b, partner: b }\n`, [], /pairings\.0: pairs server "b" with itself/],
      [`${servers}pairings:\n  - { local: a, partner: b }\n  - { local: b, partner: a }\n`, [], /pairings\.1: b and a are already paired by pairings\.0/],
      [`${servers}pairings:\n  - { local: a, partner: b }\n`, ['--partner-source', 'inventory:x.yaml'], /--partner-source cannot be used with a plan/],
      [`${servers}pairings:\n  - { local: a, partner: b }\n`, ['--concurrency', 'many'], /--concurrency: "many"/],
      [
        'servers:\n  a: { address: 127.0.0.1, source: "nosuch:x" }\n  b: { address: 127.0.0.2 }\npairings:\n  - { local: a, partner: b }\n',
        [],
        /servers\.a\.source: unknown source kind "nosuch"/,
      ],
      [`${servers}pairings:\n  - { local: a, partner: b, scope: [10.0.0.0] }\n`, [], /pairings\.0\.scope: unknown key \(did you mean scopes\?\)/],
    ];
    for (const [i, [text, extra, needle]] of cases.entries()) {
      const plan = write(`bad-${i}.yaml`, text);
      const run = await runCli(['plan', plan, ...extra]);
      assert.equal(run.code, 2, `${needle}: ${run.stderr}${run.stdout}`);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, needle);
    }
  });

  test('schema plan prints the JSON Schema of the plan file', async () => {
    const run = await runCli(['schema', 'plan']);
    assert.equal(run.code, 0, run.stderr);
    const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'options', 'pairings', 'servers']);
    assert.deepEqual(schema.required.sort(), ['pairings', 'servers']);
  });
});

describe('plan <file>: a silent partner among fast ones', () => {
  let net: SilentNet;
  before(() => {
    net = createSilentNet();
  });
  after(() => net?.close());

  /** Three silent partners among three fast ones; written once, used by each test. */
  let written: string | undefined;
  function silentPlan(): string {
    if (written) return written;
    // Two more addresses that swallow every frame, beside the helper's: three silent partners.
    const silent = [net.silentAddress, '10.200.0.3', '10.200.0.4'];
    for (const a of silent.slice(1))
      execFileSync('nsenter', [`--net=${net.netns}`, 'ip', 'neigh', 'add', a, 'lladdr', '02:00:00:00:00:99', 'dev', 'veth0', 'nud', 'permanent']);
    write(
      'quiet-hub.json',
      windowsInventory(
        'hub',
        '127.0.0.1',
        [1, 2, 3, 4, 5, 6].map((i) => `10.${i}.10.0/24`),
      ),
    );
    for (const i of [1, 2, 3]) write(`fast${i}.json`, windowsInventory(`fast${i}`, `127.0.0.${i + 1}`, [`192.168.${i}.0/24`]));
    for (const [i, a] of silent.entries()) write(`silent${i}.json`, windowsInventory(`silent${i}`, a, [`192.168.${10 + i}.0/24`]));
    written = write(
      'silent-plan.yaml',
      [
        'servers:',
        '  hub:     { address: 127.0.0.1, source: "inventory:quiet-hub.json" }',
        ...[1, 2, 3].map((i) => `  fast${i}:   { address: 127.0.0.${i + 1}, source: "inventory:fast${i}.json" }`),
        ...silent.map((a, i) => `  silent${i}: { address: ${a}, source: "inventory:silent${i}.json" }`),
        'pairings:',
        '  - { local: hub, partner: fast1, scopes: [10.1.10.0/24] }',
        '  - { local: hub, partner: silent0, scopes: [10.2.10.0/24] }',
        '  - { local: hub, partner: fast2, scopes: [10.3.10.0/24] }',
        '  - { local: hub, partner: silent1, scopes: [10.4.10.0/24] }',
        '  - { local: hub, partner: silent2, scopes: [10.5.10.0/24] }',
        '  - { local: hub, partner: fast3, scopes: [10.6.10.0/24] }',
        'options: { timeout: 5s, skip: [time] }',
        '',
      ].join('\n'),
    );
    return written;
  }

  test('the plan is bounded by --timeout as a whole, not by the sum of its pairings', async () => {
    const plan = silentPlan();
    const expected = ['warn', 'fail', 'warn', 'fail', 'fail', 'warn'];
    // --timeout on the command line overrides the plan's options.
    const run = await runCli(['plan', plan, '--timeout', '2s', '--format', 'json'], { netns: net.netns, timeoutMs: 30_000 });
    const r = parsePlan(run.stdout);
    assert.deepEqual(
      r.pairings.map((p) => check(p, 'reachability').status),
      expected,
      run.stdout,
    );
    assert.equal(check(r.pairings[1]!, 'reachability').message, 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.');
    assert.equal(run.code, 1);
    // Three silent pairings of 2 s each, side by side: the plan costs about one timeout.
    for (const i of [1, 3, 4]) assert.ok(r.pairings[i]!.durationMs >= 1900, `silent pairing ${i}: ${r.pairings[i]!.durationMs} ms`);
    for (const i of [0, 2, 5]) assert.ok(r.pairings[i]!.durationMs < 1500, `fast pairing ${i}: ${r.pairings[i]!.durationMs} ms`);
    assert.ok(r.durationMs < 3000, `plan took ${r.durationMs} ms`);
    assert.ok(run.wallMs < 6000, `process took ${run.wallMs.toFixed(0)} ms`);

    // --concurrency 1: one worker, yet a pairing waiting on a silent partner yields it (after
    // 200 ms) to the next: the same verdicts, and the three timeouts do not add up (3 × 2 s).
    const serial = await runCli(['plan', plan, '--timeout', '2s', '--concurrency', '1', '--format', 'json'], { netns: net.netns, timeoutMs: 30_000 });
    const s = parsePlan(serial.stdout);
    assert.deepEqual(
      s.pairings.map((p) => check(p, 'reachability').status),
      expected,
    );
    assert.ok(s.durationMs >= 1900 && s.durationMs < 5000, `one-worker plan took ${s.durationMs} ms`);
  });

  test('SIGTERM mid-plan: every pairing stops, what finished is reported, exit 143', async () => {
    const plan = silentPlan();
    let pid = 0;
    const running = runCli(['plan', plan, '--timeout', '20s', '--format', 'json'], { netns: net.netns, timeoutMs: 30_000, onSpawn: (p) => (pid = p) });
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid, 'SIGTERM');
    const run = await running;
    assert.equal(run.code, 143, run.stderr);
    assert.ok(run.wallMs < 4000, `took ${run.wallMs.toFixed(0)} ms`);
    const r = parsePlan(run.stdout);
    assert.equal(r.exitCode, 143);
    assert.equal(r.pairings.length, 6, 'all six had started (concurrency 8)');
    assert.equal(check(r.pairings[0]!, 'reachability').status, 'warn', 'a fast pairing had finished');
    assert.equal(check(r.pairings[1]!, 'reachability').status, 'unknown', 'a silent one was interrupted');
  });
});

describe('plan <file>: real Kea 2.2 servers and a Windows pair in one plan', () => {
  let pair: KeaPair;
  const proxies: RecordingProxy[] = [];
  before(async () => {
    pair = await startKeaPair('before-setup');
  });
  after(async () => {
    for (const p of proxies) await p.close();
    await pair?.stop();
  });

  test("each server's facts are fetched once for the whole plan; Kea 2.2's one-relationship limit counts the plan's earlier pairing", async () => {
    const opts = { env: { KEA_PASSWORD: pair.credentials.password }, timeoutMs: 60_000 };
    // What one single-pair run asks the local agent, through its own proxy.
    const single = await startRecordingProxy(pair.local.url, '127.0.0.1');
    proxies.push(single);
    const one = await runCli(
      [
        '127.0.0.2',
        '--local-source',
        `kea:${single.url}`,
        '--partner-source',
        `kea:${pair.partner.url}`,
        '--kea-user',
        'kea',
        '--timeout',
        '3s',
        '--format',
        'json',
      ],
      opts,
    );
    assert.equal(one.code !== null && one.code < 4, true, one.stderr);
    assert.ok(single.commands.length >= 3, single.commands.join(','));

    const local = await startRecordingProxy(pair.local.url, '127.0.0.1');
    const partner = await startRecordingProxy(pair.partner.url, '127.0.0.2');
    proxies.push(local, partner);
    write('win-a.json', windowsInventory('win-a', '127.0.0.5', ['10.50.0.0/24']));
    write('win-b.json', windowsInventory('win-b', '127.0.0.6', ['192.168.50.0/24']));
    const plan = write(
      'mixed-plan.yaml',
      [
        'servers:',
        `  kea1: { address: 127.0.0.1, source: "kea:${local.url}" }`,
        `  kea2: { address: 127.0.0.2, source: "kea:${partner.url}" }`,
        '  kea3: { address: 127.0.0.3 }',
        '  win-a: { address: 127.0.0.5, source: "inventory:win-a.json" }',
        '  win-b: { address: 127.0.0.6, source: "inventory:win-b.json" }',
        'pairings:',
        '  - { local: kea1, partner: kea2 }',
        '  - { local: win-a, partner: win-b, scopes: [10.50.0.0/24] }',
        '  - { local: kea1, partner: kea3 }',
        'options: { timeout: 3s, kea: { user: kea } }',
        '',
      ].join('\n'),
    );
    const run = await runCli(['plan', plan, '--format', 'json'], opts);
    const r = parsePlan(run.stdout);
    assert.ok(!run.stdout.includes(pair.credentials.password) && !run.stderr.includes(pair.credentials.password), 'the agent password leaked');
    // kea1 is in two pairings, yet the plan asked it exactly what one run asks.
    assert.deepEqual([...local.commands].sort(), [...single.commands].sort());
    assert.ok(partner.commands.length >= 3);

    const [kea, win, second] = r.pairings;
    for (const id of ['version', 'permissions', 'relationships', 'service', 'scopes'])
      assert.equal(check(kea!, id).status, 'pass', `${id}: ${JSON.stringify(check(kea!, id))}`);
    assert.equal(check(win!, 'relationships').status, 'pass');
    assert.equal(check(win!, 'scopes').status, 'pass');
    assert.equal(check(win!, 'version').status, 'pass');
    assert.equal(check(second!, 'relationships').status, 'fail');
    assert.equal(check(second!, 'relationships').message, FULL_1);
    assert.equal(r.exitCode, 1);
    assert.equal(run.code, 1);
  });
});
