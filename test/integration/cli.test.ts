import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { execFileSync } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { startChrony, type ChronyServer } from '../helpers/chrony.js';
import { createSilentNet, type SilentNet } from '../helpers/netns.js';
import { ReportSchema } from '../../src/report/schema.js';

// The exact words of Microsoft's "DHCP Failover Requirements", written out here on purpose.
const MSG = {
  dns: 'Unable to resolve the specified DNS name.',
  ip: 'The specified IP address 300.1.2.3 is invalid.',
  reachability: 'The specified DHCP server is not reachable. Please provide a DHCP server that is reachable.',
  version: 'The version of specified DHCP server does not support failover.',
  permissions: 'You do not have permissions to perform this operation on the remote DHCP server.',
  relationships: 'The partner server already has 31 (maximum allowed) failover relationships. A server cannot have more than 31 failover relationships.',
  service: 'DHCP server is not running on the specified server. Please ensure that DHCP server is running on the specified server.',
  time: 'The time difference between this server and the specified partner server is greater than the permissible value of 1 minutes. It is recommended to ensure that both servers are time synchronized before configuring failover. You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.',
  scopes:
    'Following scopes already exist on the specified partner server. These scope(s) will need to be deleted on the partner server before configuring failover.',
};

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/cli/${name}`, import.meta.url)).replace('/dist/test/', '/test/');
const LOCAL = `inventory:${fixture('local.yaml')}`;
const BROKEN = `inventory:${fixture('partner-broken.yaml')}`;
const GOOD = `inventory:${fixture('partner-good.yaml')}`;

type Json = ReturnType<typeof ReportSchema.parse>;
function report(stdout: string): Json {
  return ReportSchema.parse(JSON.parse(stdout));
}
function check(r: Json, id: string) {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

describe('the CLI against real loopback servers', () => {
  let plus5m: ChronyServer;
  let plus20s: ChronyServer;
  let listener: Server;
  let failoverPort = 0;
  before(async () => {
    [plus5m, plus20s] = await Promise.all([startChrony({ shift: '+5m' }), startChrony({ shift: '+20s' })]);
    listener = createServer((s) => s.destroy()).listen(0, '127.0.0.2');
    await new Promise((r) => listener.once('listening', r));
    failoverPort = (listener.address() as { port: number }).port;
  });
  after(async () => {
    await Promise.all([plus5m?.stop(), plus20s?.stop()]);
    listener?.close();
  });

  test('time fails with the exact message against a clock 5 minutes ahead, measured within 50 ms', async () => {
    const run = await runCli(['127.0.0.2', '--only', 'time', '--partner-ntp', `${plus5m.host}:${plus5m.port}`, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const time = check(report(run.stdout), 'time');
    assert.equal(time.status, 'fail');
    assert.equal(time.message, MSG.time);
    const diff = time.details.differenceMs as number;
    assert.ok(Math.abs(diff - 300_000) <= 50, `measured ${diff} ms`);
  });

  test('time passes against a clock 20 s ahead, measured within 50 ms', async () => {
    const run = await runCli(['127.0.0.2', '--only', 'time', '--partner-ntp', `${plus20s.host}:${plus20s.port}`, '--format', 'json']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const time = check(report(run.stdout), 'time');
    assert.equal(time.status, 'pass');
    assert.ok(Math.abs((time.details.differenceMs as number) - 20_000) <= 50, JSON.stringify(time.details));
  });

  test('the permissible value is the minimum of --max-time-skew and the servers\' settings ("0.5 minutes")', async () => {
    const run = await runCli(['127.0.0.2', '--only', 'time', '--partner-ntp', `${plus20s.host}:${plus20s.port}`, '--max-time-skew', '10s', '--format', 'json']);
    assert.equal(run.code, 1);
    assert.equal(check(report(run.stdout), 'time').message, MSG.time.replace('1 minutes', '0.17 minutes'));
  });

  test('a healthy pair: every check passes or warns (loopback), exit 0', async () => {
    const run = await runCli([
      '127.0.0.2',
      '--local-source',
      LOCAL,
      '--partner-source',
      GOOD,
      '--partner-ntp',
      `${plus20s.host}:${plus20s.port}`,
      '--failover-port',
      String(failoverPort),
      '--format',
      'json',
    ]);
    const r = report(run.stdout);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(
      r.checks.map((c) => c.id),
      [
        'dns',
        'ip',
        'reachability',
        'version',
        'permissions',
        'relationships',
        'service',
        'time',
        'scopes',
        'authorization',
        'static-address',
        'peers',
        'identity',
        'replication',
        'dns-updates',
      ],
    );
    assert.deepEqual(
      r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.status}`),
      ['ip:warn', 'authorization:skip', 'static-address:skip', 'peers:skip', 'replication:skip', 'dns-updates:skip'],
    );
    assert.equal(r.summary.pass, 9);
    assert.equal(r.exitCode, 0);
  });

  test('a broken partner: version, permissions, relationships, service, scopes fail with the exact messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfc-out-'));
    try {
      const run = await runCli([
        '127.0.0.2',
        '--local-source',
        LOCAL,
        '--partner-source',
        BROKEN,
        '--partner-ntp',
        `${plus5m.host}:${plus5m.port}`,
        '--failover-port',
        String(failoverPort),
        '--format',
        'json',
        '--output',
        `junit=${dir}/r.xml`,
        '--output',
        `tap=${dir}/r.tap`,
      ]);
      assert.equal(run.code, 1);
      const r = report(run.stdout);
      for (const id of ['version', 'permissions', 'relationships', 'service', 'time'] as const) {
        assert.equal(check(r, id).status, 'fail', id);
        assert.equal(check(r, id).message, MSG[id], id);
      }
      const scopes = check(r, 'scopes');
      assert.equal(scopes.status, 'fail');
      const lines = scopes.message.split('\n');
      assert.equal(lines[0], MSG.scopes);
      assert.match(lines[1]!, /10\.0\.20\.0 mask 255\.255\.255\.0.*exists on the partner/);
      assert.match(lines[2]!, /10\.0\.30\.0 mask 255\.255\.255\.0.*overlaps partner scope 10\.0\.30\.128 mask 255\.255\.255\.128/);

      const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(`${dir}/r.xml`, 'utf8'));
      const cases = junit.testsuites.testsuite.testcase as { '@_name': string; failure?: { '@_message': string } }[];
      assert.equal(cases.length, 15);
      assert.equal(cases.find((c) => c['@_name'].startsWith('service'))?.failure?.['@_message'], MSG.service);
      const tap = readFileSync(`${dir}/r.tap`, 'utf8');
      assert.match(tap, /^TAP version 14\n1\.\.15\n/);
      assert.match(tap, /not ok 4 - version/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the local server at its maximum: the message names the local server', async () => {
    const run = await runCli(['10.0.0.2', '--local-source', BROKEN, '--partner-source', GOOD, '--only', 'relationships', '--format', 'json']);
    assert.equal(check(report(run.stdout), 'relationships').message, MSG.relationships.replace('The partner', 'The local'));
  });

  test('dns fails with the exact message for a name that does not resolve', async () => {
    const run = await runCli(['no-such-host.invalid', '--only', 'dns,ip', '--timeout', '2s', '--format', 'json'], { timeoutMs: 10_000 });
    const r = report(run.stdout);
    assert.equal(check(r, 'dns').status, 'fail');
    assert.equal(check(r, 'dns').message, MSG.dns);
    assert.ok(typeof check(r, 'dns').details.cause === 'string');
    assert.equal(run.code, 1);
  });

  test('ip fails with the exact message for 300.1.2.3, which is never sent to DNS', async () => {
    const run = await runCli(['300.1.2.3', '--format', 'json', '--only', 'dns,ip']);
    const r = report(run.stdout);
    assert.equal(check(r, 'ip').message, MSG.ip);
    assert.equal(check(r, 'dns').status, 'pass');
    assert.equal(r.partner.address, null);
  });

  test('exit code 3 when nothing failed but something is unknown', async () => {
    const run = await runCli(['127.0.0.2', '--only', 'version,service', '--format', 'json']);
    assert.equal(run.code, 3);
    assert.equal(report(run.stdout).summary.unknown, 2);
  });

  test('--ignore turns a failure into a warning and the exit code follows', async () => {
    const run = await runCli(['127.0.0.2', '--partner-source', BROKEN, '--only', 'service', '--ignore', 'service', '--format', 'json']);
    assert.equal(run.code, 0);
    const service = check(report(run.stdout), 'service');
    assert.equal(service.status, 'warn');
    assert.equal(service.ignored, true);
    assert.equal(service.message, MSG.service);
  });

  test('bad invocations exit 2 with one line naming the value, and check nothing', async () => {
    for (const [args, needle] of [
      [['10.0.0.2', '--scope', '10.0.0.0/33'], '10.0.0.0/33'],
      [['10.0.0.2', '--timeout', '1 fortnight'], '1 fortnight'],
      [['10.0.0.2', '--only', 'nope'], 'nope'],
      [['10.0.0.2', '--format', 'xml'], 'xml'],
      [['10.0.0.2', '--partner-source', 'foo:bar'], 'foo'],
      [['10.0.0.2', '--partner-source', 'inventory:/nonexistent/p.yaml'], '/nonexistent/p.yaml'],
      [[], 'partner'],
    ] as const) {
      const run = await runCli([...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.ok(run.stderr.includes(needle), `${run.stderr} should name ${needle}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
  });
});

describe('a partner that answers nothing', () => {
  let net: SilentNet;
  before(() => {
    net = createSilentNet();
  });
  after(() => net?.close());

  test('all probes silent: reachability fails with the exact message, within the timeout plus one second', async () => {
    const run = await runCli([net.silentAddress, '--local-source', LOCAL, '--partner-source', GOOD, '--timeout', '2s', '--format', 'json'], {
      netns: net.netns,
      timeoutMs: 20_000,
    });
    const r = report(run.stdout);
    assert.equal(check(r, 'reachability').status, 'fail');
    assert.equal(check(r, 'reachability').message, MSG.reachability);
    assert.equal(check(r, 'time').status, 'unknown');
    assert.equal(run.code, 1);
    assert.ok(run.wallMs < 3000, `took ${run.wallMs.toFixed(0)} ms`);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    test(`${signal} mid-run stops every probe, reports what finished, exits ${code}, leaves no ping behind`, async () => {
      let pid = 0;
      const running = runCli([net.silentAddress, '--local-source', LOCAL, '--partner-source', GOOD, '--timeout', '20s', '--format', 'json'], {
        netns: net.netns,
        timeoutMs: 20_000,
        onSpawn: (p) => (pid = p),
      });
      // nsenter execs node in place, so the spawned PID is the checker itself.
      await new Promise((r) => setTimeout(r, 800));
      process.kill(pid, signal);
      const run = await running;
      assert.equal(run.code, code, run.stderr);
      assert.ok(run.wallMs < 3000, `took ${run.wallMs.toFixed(0)} ms`);
      const r = report(run.stdout);
      assert.equal(r.exitCode, code);
      assert.equal(check(r, 'version').status, 'pass', 'checks that finished are reported');
      assert.equal(check(r, 'reachability').status, 'unknown');
      const leftovers = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(`ping`) && l.includes(net.silentAddress));
      assert.deepEqual(leftovers, []);
    });
  }
});
