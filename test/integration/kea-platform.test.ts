import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ReportSchema } from '../../src/report/schema.js';
import { ALLOWED_COMMANDS } from '../../src/sources/kea/client.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { freePort } from '../helpers/kea.js';
import { CASES, HEALTHY, VERSIONS, type HaCase, type Ports } from '../helpers/kea-ha-cases.js';
import {
  healthyHotStandbyPair,
  hotStandbyPairSpecs,
  startKeaServers,
  type KeaServer,
  type KeaServerSpec,
  type KeaServers,
  type KeaVersion,
} from '../helpers/kea-multi.js';

// The built CLI against real Kea 2.2 (host), 2.6.3 and 3.0.4 (chroots): `kea:` sources on both
// sides, and `kea-config:` files where Kea itself would refuse to start. Every assertion reads the
// `--format json` report (status, stable code, the documented message where there is one). NTP is
// pointed at closed UDP ports so a clock is whatever the Kea servers themselves tell.

const PERMISSIONS = 'You do not have permissions to perform this operation on the remote DHCP server.';
const TIME_1_MINUTE =
  'The time difference between this server and the specified partner server is greater than the permissible value of 1 minutes. ' +
  'It is recommended to ensure that both servers are time synchronized before configuring failover. ' +
  'You could setup Network Time Protocol (NTP) service on both servers to ensure time synchronization.';
const DISAGREE_HEAD = 'The failover configurations do not describe the same pair:';
const KEA_DERIVED = ['version', 'permissions', 'relationships', 'service', 'time', 'scopes', 'peers'];
const ALLOWED = new Set<string>(ALLOWED_COMMANDS);
/** What one `kea:` source sends to a server with HA configured (see loadKea). */
const ONE_LOAD = ['config-get', 'config-get', 'ha-heartbeat', 'status-get', 'version-get'];

const secret = () => `pw-${Math.random().toString(36).slice(2, 12)}-kea`;

type Json = Record<string, unknown>;
type Check = ReturnType<typeof ReportSchema.parse>['checks'][number];

interface Result {
  run: CliRun;
  report: ReturnType<typeof ReportSchema.parse>;
  by: (id: string) => Check;
}

/** A UDP port on `host` nobody listens on (bound, read, released): NTP there is refused at once. */
function closedUdpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function cli(args: string[], opts: { password?: string; secrets?: string[] } = {}): Promise<Result> {
  const run = await runCli(['--timeout', '3s', '--format', 'json', ...args], {
    env: opts.password === undefined ? {} : { KEA_PASSWORD: opts.password },
    timeoutMs: 30_000,
  });
  for (const s of opts.secrets ?? []) assert.ok(!run.stdout.includes(s) && !run.stderr.includes(s), 'a password reached stdout or stderr');
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    assert.fail(`not a JSON report (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`);
  }
  const report = ReportSchema.parse(parsed);
  assert.equal(report.exitCode, run.code, 'the report states the exit code the process gave');
  const by = (id: string) => {
    const c = report.checks.find((x) => x.id === id);
    assert.ok(c, `no ${id} in the report`);
    return c;
  };
  return { run, report, by };
}

const statuses = (r: Result, ids: string[]) => Object.fromEntries(ids.map((id) => [id, r.by(id).status]));
const show = (r: Result) => r.report.checks.map((c) => `${c.code}: ${c.message.split('\n').join(' | ')}`).join('\n');
const portOf = (url: string | undefined) => Number(new URL(url ?? 'http://x:0/').port);
const haOf = (spec: KeaServerSpec) => ((spec.dhcp4['hooks-libraries'] as Json[])[1]!.parameters as Json)['high-availability'] as Json[];
const peersOf = (spec: KeaServerSpec, i = 0) => haOf(spec)[i]!.peers as Json[];

/** Log lengths now, so that what a server received during one CLI run can be read afterwards. */
function logMark(servers: KeaServer[]) {
  const at = new Map(servers.map((s) => [s.name, { dhcp4: s.receivedCommands().length, agent: s.agentCommands().length, log: s.log().length }]));
  return (s: KeaServer) => {
    const m = at.get(s.name)!;
    return { dhcp4: s.receivedCommands().slice(m.dhcp4), agent: s.agentCommands().slice(m.agent), log: s.log().slice(m.log) };
  };
}

/**
 * Kea 3.0 serves its control socket and the HA listener from different threads, and logs
 * HTTP_CLIENT_REQUEST_AUTHORIZED on the control socket's thread just before the command when
 * basic auth is on: the commands that came through the authenticated control socket.
 */
function authorizedCommands(log: string): { control: string[]; other: string[] } {
  const lastOnThread = new Map<string, string>();
  const control: string[] = [];
  const other: string[] = [];
  for (const line of log.split('\n')) {
    const m = /\[kea-dhcp4\.[\w-]+\/(\d+\.\d+)\] (\w+) (.*)$/.exec(line);
    if (!m) continue;
    const [, thread, id, rest] = m as unknown as [string, string, string, string];
    if (id === 'COMMAND_RECEIVED') {
      const name = /Received command '([^']+)'/.exec(rest)?.[1] ?? '?';
      (lastOnThread.get(thread) === 'HTTP_CLIENT_REQUEST_AUTHORIZED' ? control : other).push(name);
    }
    lastOnThread.set(thread, id);
  }
  return { control, other };
}

// ---- 1 and 6: healthy hot-standby pairs, both sides kea: ----

for (const version of ['2.2', '2.6', '3.0'] as const) {
  describe(`Kea ${version}: a healthy hot-standby pair through kea: on both sides`, () => {
    const password = secret();
    let pair: KeaServers;
    let s1: KeaServer;
    let s2: KeaServer;
    let ntpPort = 0;
    let outDir: string;
    before(async () => {
      pair = await healthyHotStandbyPair(version, { auth: { server2: { user: 'kea', password } } });
      await Promise.all(['server1', 'server2'].map((n) => pair.waitForHaState(n, 'hot-standby', 30000)));
      [s1, s2] = [pair.server('server1'), pair.server('server2')];
      ntpPort = await closedUdpPort('127.0.0.2');
      outDir = mkdtempSync(join(tmpdir(), 'kea-platform-'));
    });
    after(async () => {
      await pair?.stop();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    const args = (extra: string[] = []) => [
      '127.0.0.2',
      '--local-source',
      `kea:${s1.controlUrl}`,
      '--partner-source',
      `kea:${s2.controlUrl}`,
      '--partner-ntp',
      `127.0.0.2:${ntpPort}`,
      '--kea-user',
      'kea',
      ...extra,
    ];

    test('exit 0: every Kea-derived check passes, reachability probes the HA listener, peers agree; only allow-listed commands reach either server', async () => {
      const mark = logMark([s1, s2]);
      const r = await cli(args(), { password, secrets: [password] });
      assert.equal(r.run.code, 0, show(r));
      assert.deepEqual(statuses(r, KEA_DERIVED), Object.fromEntries(KEA_DERIVED.map((id) => [id, 'pass'])), show(r));
      assert.equal(r.by('peers').code, 'peers.agree');
      assert.equal(r.by('relationships').code, 'relationships.already-paired');
      assert.equal(r.by('version').message, `Kea ${{ '2.2': '2.2.0', '2.6': '2.6.3', '3.0': '3.0.4' }[version]} supports failover`);

      const reach = r.by('reachability');
      assert.equal(reach.code, 'reachability.reachable');
      assert.equal(reach.details.port, portOf(s2.haUrl), 'the port of the HA URL server1 and server2 both give for server2');
      if (version === '2.2') assert.equal(reach.details.port, portOf(s2.controlUrl), '2.2: HA goes through the agent');
      else assert.notEqual(reach.details.port, portOf(s2.controlUrl), `${version}: the dedicated HA listener, not the control port`);
      assert.match(reach.message, /\(Kea HA listener\) answers$/);

      // 6: the servers' own logs. Steady hot-standby traffic between the peers is ha-heartbeat only,
      // so anything else in the window came from the CLI — and must be on the allow-list.
      for (const s of [s1, s2]) {
        const got = mark(s);
        for (const c of [...got.dhcp4, ...got.agent]) assert.ok(ALLOWED.has(c), `Kea ${version} ${s.name} received ${c}`);
        const ours = got.dhcp4.filter((c) => c !== 'ha-heartbeat').sort();
        assert.deepEqual(
          ours,
          ['config-get', 'status-get', 'version-get'].concat(version === '3.0' ? ['config-get'] : []).sort(),
          `${s.name}: ${got.dhcp4.join(' ')}`,
        );
        if (version === '2.6') {
          // HA goes to the dedicated listener, so the agent saw exactly what the CLI sent.
          assert.deepEqual([...got.agent].sort(), ONE_LOAD, `${s.name} agent: ${got.agent.join(' ')}`);
        }
        if (version === '2.2') {
          // HA shares the agent with us: every non-heartbeat command is ours.
          assert.deepEqual(got.agent.filter((c) => c !== 'ha-heartbeat').sort(), ['config-get', 'config-get', 'status-get', 'version-get']);
          assert.ok(got.agent.includes('ha-heartbeat'));
        }
      }
      if (version === '3.0') {
        const { control, other } = authorizedCommands(mark(s2).log);
        assert.deepEqual([...control].sort(), ONE_LOAD, `server2 control socket: ${control.join(' ')}`);
        for (const c of other) assert.equal(c, 'ha-heartbeat', "the HA listener carries only the peer's heartbeats");
      }
      // The HA traffic is in the same logs: the proof above is not blind to it.
      assert.ok(s1.receivedCommands().includes('ha-heartbeat') && s2.receivedCommands().includes('ha-heartbeat'));
    });

    test('no password in stdout, stderr or the --output json file (human -v report on stdout)', async () => {
      const file = join(outDir, `report-${version}.json`);
      const run = await runCli(['--timeout', '3s', '-v', '--output', `json=${file}`, ...args()], { env: { KEA_PASSWORD: password }, timeoutMs: 30_000 });
      assert.equal(run.code, 0, run.stdout);
      const written = readFileSync(file, 'utf8');
      assert.equal(ReportSchema.parse(JSON.parse(written)).exitCode, 0);
      for (const [where, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ['json file', written],
      ] as const) {
        assert.ok(!text.includes(password), `the password is in ${where}`);
      }
      assert.match(run.stdout, /peers/);
    });

    test(`a wrong password: permissions fails with the documented message (permissions.denied)${version === '3.0' ? " — kea-dhcp4's own HTTP socket" : ''}`, async () => {
      const wrong = `${password}-wrong`;
      const r = await cli(args(), { password: wrong, secrets: [password, wrong] });
      const p = r.by('permissions');
      assert.equal(p.status, 'fail');
      assert.equal(p.code, 'permissions.denied');
      assert.equal(p.message, PERMISSIONS);
      assert.equal(r.run.code, 1);
      assert.match(JSON.stringify(p.details), /HTTP 401/);
      // No password at all is the same refusal.
      const none = await cli(args(), { secrets: [password] });
      assert.equal(none.by('permissions').code, 'permissions.denied');
      assert.ok(!s2.log().includes(password) && !s2.log().includes(wrong), 'Kea never logs a password');
    });
  });
}

// ---- 2: two configurations that do not describe the same pair ----

describe('Kea 3.0: the two HA configurations disagree (real servers)', () => {
  let roles: KeaServers;
  let urls: KeaServers;
  let wrongPort = 0;
  let ntpPort = 0;
  before(async () => {
    // Each configuration is one Kea accepts on its own (one primary, one standby): only the two
    // together are wrong, which no single kea-dhcp4 can see.
    const roleSpecs = await hotStandbyPairSpecs('3.0');
    const [p1, p2] = peersOf(roleSpecs[1]);
    p1!.role = 'standby';
    p2!.role = 'primary';
    const urlSpecs = await hotStandbyPairSpecs('3.0');
    wrongPort = await freePort('127.0.0.2');
    while ([portOf(urlSpecs[1].haUrl), urlSpecs[1].controlPort].includes(wrongPort)) wrongPort = await freePort('127.0.0.2');
    peersOf(urlSpecs[0])[1]!.url = `http://127.0.0.2:${wrongPort}/`;
    // Both pairs bind 127.0.0.1/127.0.0.2 on ports of their own: start them together.
    [roles, urls] = await Promise.all([startKeaServers({ version: '3.0', servers: roleSpecs }), startKeaServers({ version: '3.0', servers: urlSpecs })]);
    ntpPort = await closedUdpPort('127.0.0.2');
  });
  after(async () => {
    await Promise.all([roles?.stop(), urls?.stop()]);
  });

  const args = (p: KeaServers, extra: string[] = []) => [
    '127.0.0.2',
    '--local-source',
    `kea:${p.server('server1').controlUrl}`,
    '--partner-source',
    `kea:${p.server('server2').controlUrl}`,
    '--partner-ntp',
    `127.0.0.2:${ntpPort}`,
    ...extra,
  ];

  test('server2 says it is the primary and server1 the standby: peers fails (peers.disagree) naming the role disagreement', async () => {
    const r = await cli(args(roles));
    const p = r.by('peers');
    assert.equal(p.status, 'fail', show(r));
    assert.equal(p.code, 'peers.disagree');
    // The configurations' disagreement first; then what the live servers say of it (their HA state).
    assert.equal(
      p.message.split('\n').slice(0, 4).join('\n'),
      [
        DISAGREE_HEAD,
        '  peer "server1": role primary here, standby on the partner',
        '  peer "server2": role standby here, primary on the partner',
        '  the roles are primary + primary; hot-standby needs primary + standby',
      ].join('\n'),
    );
    for (const line of p.message.split('\n').slice(4)) assert.match(line, /^ {2}the (local|partner) server's HA relationship "server[12]" is in state \S+: /);
    assert.equal(r.run.code, 1);
    // Nothing else is wrong with the pair.
    for (const id of ['version', 'service', 'scopes', 'relationships']) assert.equal(r.by(id).status, 'pass', `${id}: ${r.by(id).message}`);
  });

  test('what Kea says about it: nothing — both servers reach hot-standby, each as the primary (both would serve every client)', async () => {
    await Promise.all(['server1', 'server2'].map((n) => roles.waitForHaState(n, 'hot-standby', 15000)));
    for (const n of ['server1', 'server2']) {
      const reply = await roles.server(n).command('status-get');
      const rel = (((reply.json as Json[])[0]!.arguments as Json)['high-availability'] as Json[])[0]!;
      const { local, remote } = rel['ha-servers'] as { local: Json; remote: Json };
      assert.deepEqual([local.role, local.state, remote.role], ['primary', 'hot-standby', 'standby'], n);
      assert.match(roles.server(n).log(), new RegExp(`HA_SERVICE_STARTED ${n}: started high availability service in hot-standby mode as primary server`));
    }
  });

  test("server1's URL for server2 points at a closed port: peers fails naming both URLs; reachability probes the partner's own HA URL", async () => {
    const s2 = urls.server('server2');
    const r = await cli(args(urls));
    const p = r.by('peers');
    assert.equal(p.code, 'peers.disagree', show(r));
    assert.equal(
      p.message.split('\n').slice(0, 2).join('\n'),
      `${DISAGREE_HEAD}\n  peer "server2": URL http://127.0.0.2:${wrongPort}/ here, ${s2.haUrl} on the partner (the partner says it listens at ${s2.haUrl})`,
    );
    for (const line of p.message.split('\n').slice(2)) assert.match(line, /^ {2}the (local|partner) server's HA relationship "server[12]" is in state \S+: /);
    // Where the partner listens for HA is its own URL: open, so reachability passes on it.
    const reach = r.by('reachability');
    assert.equal(reach.code, 'reachability.reachable');
    assert.equal(reach.details.port, portOf(s2.haUrl));
    assert.equal(r.run.code, 1);
  });

  test('the port server1 would call, given as --failover-port: the real network refuses it, reachability warns (reachability.port-closed)', async () => {
    const r = await cli(args(urls, ['--failover-port', String(wrongPort), '--only', 'reachability']));
    const reach = r.by('reachability');
    assert.equal(reach.status, 'warn', show(r));
    assert.equal(reach.code, 'reachability.port-closed');
    assert.equal(reach.message, `127.0.0.2 answers, but TCP port ${wrongPort} (failover) does not accept connections`);
    assert.match(String(reach.details.tcp), /refused/);
    assert.equal(r.run.code, 0, 'a warning alone exits 0');
    // What Kea itself says about the same port: server1's heartbeats to it are refused.
    const refused = new RegExp(
      `HA_HEARTBEAT_COMMUNICATIONS_FAILED server1: failed to send heartbeat to server2 \\(http://127\\.0\\.0\\.2:${wrongPort}/\\): Connection refused`,
    );
    const t0 = performance.now();
    while (!refused.test(urls.server('server1').log()) && performance.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 200));
    assert.match(urls.server('server1').log(), refused);
  });
});

// ---- 3: hub and spoke ----

interface Hub {
  servers: KeaServers;
  /** HA URL ports: the hub's per relationship (hub-c: where spoke4 expects the hub), the spokes'. */
  ports: { hubA: number; hubB: number; hubC: number; spoke1: number; spoke2: number; spoke4: number };
}

async function distinct(host: string, n: number, taken: number[] = []): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) {
    const p = await freePort(host);
    if (!taken.includes(p)) out.add(p);
  }
  return [...out];
}

const relationship = (self: string, mode: string, peers: Json[]): Json => ({
  'this-server-name': self,
  mode,
  'heartbeat-delay': 1000,
  'max-response-delay': 5000,
  'max-ack-delay': 5000,
  'max-unacked-clients': 5,
  peers,
});
const haHooks = (rels: Json[]) => [{ library: 'libdhcp_lease_cmds.so' }, { library: 'libdhcp_ha.so', parameters: { 'high-availability': rels } }];
const hubSubnet = (id: number, owner?: string): Json => ({
  id,
  subnet: `10.98.${id}.0/24`,
  pools: [{ pool: `10.98.${id}.10 - 10.98.${id}.20` }],
  ...(owner ? { 'user-context': { 'ha-server-name': owner } } : {}),
});

/**
 * hub (127.0.0.1) in two hot-standby relationships: hub-a with spoke1 (127.0.0.2) over subnet 1,
 * hub-b with spoke2 (127.0.0.3) over subnet 2; subnet 3 on the hub belongs to no relationship yet:
 * it is meant for spoke3 (127.0.0.4), which runs without HA (before setup). spoke4 (127.0.0.5) is
 * configured for a load-balancing relationship with the hub ("hub-c" at the hub's address) that the
 * hub does not have yet. spoke5 (127.0.0.6) is a new spoke that does not carry subnet 3 yet.
 */
async function startHub(version: KeaVersion): Promise<Hub> {
  const [hubA, hubB, hubC, hubControl] = await distinct('127.0.0.1', 4);
  const [spoke1, spoke1Control] = await distinct('127.0.0.2', 2);
  const [spoke2, spoke2Control] = await distinct('127.0.0.3', 2);
  const [spoke3Control] = await distinct('127.0.0.4', 1);
  const [spoke4, spoke4Control] = await distinct('127.0.0.5', 2);
  const [spoke5Control] = await distinct('127.0.0.6', 1);
  const relA = [
    { name: 'hub-a', url: `http://127.0.0.1:${hubA}/`, role: 'primary' },
    { name: 'spoke1', url: `http://127.0.0.2:${spoke1}/`, role: 'standby' },
  ];
  const relB = [
    { name: 'hub-b', url: `http://127.0.0.1:${hubB}/`, role: 'primary' },
    { name: 'spoke2', url: `http://127.0.0.3:${spoke2}/`, role: 'standby' },
  ];
  const relC = [
    { name: 'hub-c', url: `http://127.0.0.1:${hubC}/`, role: 'primary' },
    { name: 'spoke4', url: `http://127.0.0.5:${spoke4}/`, role: 'secondary' },
  ];
  const servers: KeaServerSpec[] = [
    {
      name: 'hub',
      host: '127.0.0.1',
      controlPort: hubControl!,
      dhcp4: {
        'hooks-libraries': haHooks([relationship('hub-a', 'hot-standby', relA), relationship('hub-b', 'hot-standby', relB)]),
        subnet4: [hubSubnet(1, 'hub-a'), hubSubnet(2, 'hub-b'), hubSubnet(3)],
      },
    },
    {
      name: 'spoke1',
      host: '127.0.0.2',
      controlPort: spoke1Control!,
      dhcp4: { 'hooks-libraries': haHooks([relationship('spoke1', 'hot-standby', relA)]), subnet4: [hubSubnet(1)] },
    },
    {
      name: 'spoke2',
      host: '127.0.0.3',
      controlPort: spoke2Control!,
      dhcp4: { 'hooks-libraries': haHooks([relationship('spoke2', 'hot-standby', relB)]), subnet4: [hubSubnet(2)] },
    },
    { name: 'spoke3', host: '127.0.0.4', controlPort: spoke3Control!, dhcp4: { subnet4: [hubSubnet(3)] } },
    {
      name: 'spoke4',
      host: '127.0.0.5',
      controlPort: spoke4Control!,
      dhcp4: { 'hooks-libraries': haHooks([relationship('spoke4', 'load-balancing', relC)]), subnet4: [hubSubnet(4)] },
    },
    { name: 'spoke5', host: '127.0.0.6', controlPort: spoke5Control!, dhcp4: { subnet4: [] } },
  ];
  const started = await startKeaServers({ version, servers });
  try {
    await Promise.all(['hub', 'spoke1', 'spoke2'].map((n) => started.waitForHaState(n, 'hot-standby', 30000)));
  } catch (err) {
    await started.stop();
    throw err;
  }
  return { servers: started, ports: { hubA: hubA!, hubB: hubB!, hubC: hubC!, spoke1: spoke1!, spoke2: spoke2!, spoke4: spoke4! } };
}

for (const version of ['2.6', '3.0'] as const) {
  describe(`Kea ${version}: a hub in two hot-standby relationships`, () => {
    let hub: Hub;
    let dir: string;
    let ntpPorts: Record<string, number>;
    before(async () => {
      hub = await startHub(version);
      dir = mkdtempSync(join(tmpdir(), 'kea-hub-'));
      ntpPorts = {};
      for (const h of ['127.0.0.2', '127.0.0.4', '127.0.0.5', '127.0.0.6']) ntpPorts[h] = await closedUdpPort(h);
    });
    after(async () => {
      await hub?.servers.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const against = (partner: string, host: string, local = `kea:${hub.servers.server('hub').controlUrl}`) =>
      cli([host, '--local-source', local, '--partner-source', `kea:${hub.servers.server(partner).controlUrl}`, '--partner-ntp', `${host}:${ntpPorts[host]}`]);

    test('hub + a new spoke3 (no HA yet): relationships has room; scopes compares only the subnet meant for spoke3', async () => {
      const r = await against('spoke3', '127.0.0.4');
      const rel = r.by('relationships');
      assert.equal(rel.code, 'relationships.room', show(r));
      assert.equal((rel.details.local as Json).count, 2);
      assert.equal((rel.details.partner as Json).count, 0);
      const scopes = r.by('scopes');
      assert.equal(scopes.code, 'scopes.same-on-both', show(r));
      assert.equal(scopes.details.shared, 1, "only 10.98.3.0/24: hub-a's and hub-b's subnets are not spoke3's business");
      assert.deepEqual(scopes.details.missing, []);
      assert.doesNotMatch(scopes.message, /10\.98\.[12]\./);
      // spoke3 has no HA yet: half a pair, said as a warning.
      assert.equal(r.by('peers').code, 'peers.attention');
      assert.match(r.by('peers').message, /^only the local server has HA configured/);
      assert.equal(r.by('version').details.situation, 'configured pair');
      assert.equal(r.run.code, 0, show(r));
    });

    test('hub + a new spoke5 that lacks the subnet meant for it: scopes warns (before setup of this pair), naming that subnet only', async () => {
      const r = await against('spoke5', '127.0.0.6');
      const scopes = r.by('scopes');
      assert.equal(scopes.code, 'scopes.missing-on-partner', show(r));
      assert.equal(scopes.message, 'before setup: 1 subnet(s) must be added to the partner the same way: 10.98.3.0/24 (id 3) is missing on the partner');
      assert.equal(scopes.details.situation, 'before setup');
      assert.equal(r.by('relationships').code, 'relationships.room');
    });

    test('hub + spoke1 (already configured): exit 0, already paired, scopes compares only the subnet of hub-a', async () => {
      const r = await against('spoke1', '127.0.0.2');
      assert.equal(r.run.code, 0, show(r));
      assert.equal(r.by('relationships').code, 'relationships.already-paired');
      assert.equal(r.by('relationships').details.local, 'hub-a');
      assert.equal(r.by('peers').code, 'peers.agree');
      assert.equal(r.by('scopes').code, 'scopes.same-on-both');
      assert.equal(r.by('scopes').details.shared, 1);
      assert.equal(r.by('reachability').details.port, hub.ports.spoke1, "spoke1's HA listener");
    });

    test("spoke2 as the local server, the hub as partner: exit 0; reachability probes hub-b's listener, not hub-a's", async () => {
      const ntpLocal = await closedUdpPort('127.0.0.3');
      const ntpHub = await closedUdpPort('127.0.0.1');
      const r = await cli([
        '127.0.0.1',
        '--local',
        '127.0.0.3',
        '--local-source',
        `kea:${hub.servers.server('spoke2').controlUrl}`,
        '--partner-source',
        `kea:${hub.servers.server('hub').controlUrl}`,
        '--local-ntp',
        `127.0.0.3:${ntpLocal}`,
        '--partner-ntp',
        `127.0.0.1:${ntpHub}`,
      ]);
      assert.equal(r.run.code, 0, show(r));
      assert.equal(r.by('reachability').details.port, hub.ports.hubB);
      assert.deepEqual([r.by('relationships').code, r.by('relationships').details.partner], ['relationships.already-paired', 'hub-b']);
      assert.equal(r.by('peers').code, 'peers.agree');
      assert.equal(r.by('scopes').details.shared, 1);
      assert.equal(r.by('scopes').details.partnerSubnets, 1, "only hub-b's subnet of the hub's three");
    });

    test('hub + spoke4, which is configured for a load-balancing relationship with the hub: relationships.mode-conflict', async () => {
      const r = await against('spoke4', '127.0.0.5');
      const rel = r.by('relationships');
      assert.equal(rel.status, 'fail', show(r));
      assert.equal(rel.code, 'relationships.mode-conflict');
      assert.equal(
        rel.message,
        'the new relationship is load-balancing, but the local server already has 2 hot-standby relationship(s): "multiple HA relationships are only supported for \'hot-standby\' mode"',
      );
      assert.equal(r.run.code, 1);
    });

    test('the same hub with a load-balancing relationship beside (a kea-config: file: Kea refuses to start it) + spoke3: relationships.mode-conflict, peers quotes Kea', async () => {
      const live = hub.servers.server('hub').config.Dhcp4;
      const rels = structuredClone(((live['hooks-libraries'] as Json[])[1]!.parameters as Json)['high-availability'] as Json[]);
      rels.push(
        relationship('hub-c', 'load-balancing', [
          { name: 'hub-c', url: `http://127.0.0.1:${hub.ports.hubC}/`, role: 'primary' },
          { name: 'lb-peer', url: 'http://127.0.0.9:8009/', role: 'secondary' },
        ]),
      );
      const file = join(dir, 'hub-with-lb.json');
      writeFileSync(file, JSON.stringify({ Dhcp4: { 'hooks-libraries': haHooks(rels), subnet4: live.subnet4 } }, null, 2));
      const r = await against('spoke3', '127.0.0.4', `kea-config:${file}`);
      const rel = r.by('relationships');
      assert.equal(rel.code, 'relationships.mode-conflict', show(r));
      assert.equal(
        rel.message,
        'the local server has a load-balancing relationship ("hub-c"): Kea allows several HA relationships only when all are hot-standby',
      );
      assert.equal(r.by('peers').code, 'peers.disagree');
      // A file says no version: judged by every supported Kea's rules, this one is 2.6+'s (2.2 refuses any second relationship).
      assert.match(
        r.by('peers').message,
        /Kea 2\.6 and later would refuse the local server's HA configuration: multiple HA relationships are only supported for 'hot-standby' mode/,
      );
      assert.equal(r.run.code, 1);
    });
  });
}

// ---- 4: Kea's HA refusal rules through kea-config: files ----

describe("kea-config: files: Kea's HA refusal rules, in Kea's words", () => {
  let dir: string;
  let ntp: { local: number; partner: number };
  const ports: Ports = { p1: 8001, p3: 8003 };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kea-config-rules-'));
    ntp = { local: await closedUdpPort('127.0.0.1'), partner: await closedUdpPort('127.0.0.2') };
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const write = (ha: unknown[], extra: Json = {}): string => {
    const file = join(dir, `dhcp4-${++n}.json`);
    const dhcp4 = {
      'interfaces-config': { interfaces: [] },
      'hooks-libraries': [{ library: 'libdhcp_lease_cmds.so' }, { library: 'libdhcp_ha.so', parameters: { 'high-availability': ha } }],
      subnet4: [{ id: 1, subnet: '10.99.0.0/24', pools: [{ pool: '10.99.0.100 - 10.99.0.200' }] }],
      ...extra,
    };
    // Kea's own syntax: a comment, as a kea-dhcp4.conf carries them.
    writeFileSync(file, `// written by kea-platform.test\n${JSON.stringify({ Dhcp4: dhcp4 }, null, 2)}\n`);
    return file;
  };
  const healthy = HEALTHY.find((c) => c.rule === 'hot-standby pair')!;
  const asServer2 = (rels: unknown[]) => (rels as Json[]).map((r) => ({ ...r, 'this-server-name': 'server2' }));
  const partnerFile = () => write(asServer2(healthy.ha(ports)));
  const run = (local: string, partner: string, extra: string[] = []) =>
    cli([
      '127.0.0.2',
      '--local-source',
      `kea-config:${local}`,
      '--partner-source',
      `kea-config:${partner}`,
      '--local',
      '127.0.0.1',
      '--local-ntp',
      `127.0.0.1:${ntp.local}`,
      '--partner-ntp',
      `127.0.0.2:${ntp.partner}`,
      ...extra,
    ]);

  const ROWS = [
    'two primaries',
    'standby in load balancing',
    'secondary in hot standby',
    'a peer URL host that is a name, not an address',
    'a trust-anchor without cert-file and key-file',
    "one peer's cert-file alone",
    'this-server-name not among the peers',
  ];
  for (const rule of ROWS) {
    test(`${rule}: peers fails with Kea's words`, async () => {
      const row: HaCase | undefined = CASES.find((c) => c.rule === rule);
      assert.ok(row, `no row "${rule}" in kea-ha-cases`);
      const words = row.expect(VERSIONS['3.0']!, ports);
      assert.ok(words, 'a row Kea refuses');
      const ha = row.ha(ports) as Json[];
      const r = await run(write(ha), partnerFile(), ['--only', 'peers']);
      const p = r.by('peers');
      assert.equal(p.code, 'peers.disagree', show(r));
      const first = (p.details.problems as string[])[0];
      // Kea stops at its first complaint: ours comes first, prefixed by whose configuration it is.
      assert.equal(first, `Kea would refuse the local server's HA configuration: HA relationship ${JSON.stringify(ha[0]!['this-server-name'])}: ${words}`);
      assert.ok(p.message.startsWith(`${DISAGREE_HEAD}\n  ${first}`), p.message);
      assert.equal(r.run.code, 1);
    });
  }

  test('a healthy pair of files: peers agrees; what only a running server tells is skipped before deploy (READY TO DEPLOY, exit 0)', async () => {
    const local = write(healthy.ha(ports));
    const r = await run(local, partnerFile());
    assert.equal(r.by('peers').code, 'peers.agree', show(r));
    assert.equal(r.by('scopes').code, 'scopes.same-on-both');
    assert.equal(r.by('relationships').code, 'relationships.already-paired');
    // No version, service, identity or clock in a file: before deploy, each is checked once the servers run.
    for (const id of ['version', 'service', 'permissions', 'time'] as const) assert.equal(r.by(id).code, `${id}.before-deploy`, r.by(id).message);
    // The HA URL the partner's file gives itself is where reachability looks (whatever listens there).
    assert.equal(r.by('reachability').details.port, 8002);
    assert.equal(r.report.summary.fail, 0, show(r));
    assert.equal(r.run.code, 0);
  });

  test('subnets without an "id": the source notes them (Kea 3.0 refuses them); a side without the id the other has fails scopes', async () => {
    const noId = { subnet4: [{ subnet: '10.99.0.0/24', pools: [{ pool: '10.99.0.100 - 10.99.0.200' }] }] };
    const local = write(healthy.ha(ports), noId);
    const both = await run(local, write(asServer2(healthy.ha(ports)), noId));
    const note =
      'Subnets without an "id": 10.99.0.0/24 (Kea 3.0 refuses them: "missing parameter \'id\'"; 2.x numbers them by their order, which differs between peers).';
    // Only the partner's notes surface, in the details of the checks its file cannot answer.
    for (const id of ['version', 'service', 'permissions']) assert.deepEqual(both.by(id).details.sourceNotes, [note], id);
    // Both without ids compare equal, but fragile: scopes warns (2.x numbers them by order).
    assert.equal(both.by('scopes').code, 'scopes.fragile');
    assert.match(both.by('scopes').message, /subnets without an "id": 10\.99\.0\.0\/24/);
    const one = await run(local, partnerFile(), ['--only', 'scopes']);
    assert.equal(one.by('scopes').code, 'scopes.not-identical');
    assert.equal(
      one.by('scopes').message,
      'Following subnets are not configured identically on the specified partner server. Kea HA peers must carry the same subnets with the same subnet ids.\n  10.99.0.0/24: no id here, id 1 on the partner',
    );
  });
});

// ---- 5: Kea 3.0's own clocks, no NTP, no agent ----

describe("Kea 3.0 without an agent: the partner's clock 90 s ahead (libfaketime), no NTP", () => {
  let pair: KeaServers;
  let terminatedAfterMs = 0;
  let ntp: { local: number; partner: number };
  before(async () => {
    pair = await healthyHotStandbyPair('3.0', { faketime: { server2: '+90' } });
    // Kea terminates HA above 60 s of skew once the peers have heard each other: that is when
    // status-get carries a clock-skew (null before).
    terminatedAfterMs = await pair.waitForHaState('server1', 'terminated', 15000);
    ntp = { local: await closedUdpPort('127.0.0.1'), partner: await closedUdpPort('127.0.0.2') };
  });
  after(() => pair?.stop());

  const args = (extra: string[]) => [
    '127.0.0.2',
    '--local-source',
    `kea:${pair.server('server1').controlUrl}`,
    '--partner-source',
    `kea:${pair.server('server2').controlUrl}`,
    '--partner-ntp',
    `127.0.0.2:${ntp.partner}`,
    ...extra,
  ];

  test('what the servers say: each terminated HA over the skew (HA_HIGH_CLOCK_SKEW_CAUSED_TERMINATION, 90 s)', async () => {
    assert.ok(terminatedAfterMs < 15000);
    assert.match(
      pair.server('server1').log(),
      /HA_HIGH_CLOCK_SKEW_CAUSED_TERMINATION server1: .*partner's clock is 90s ahead, causing HA service to terminate/,
    );
    await pair.waitForHaState('server2', 'terminated', 5000);
    assert.match(
      pair.server('server2').log(),
      /HA_HIGH_CLOCK_SKEW_CAUSED_TERMINATION server2: .*partner's clock is 90s behind, causing HA service to terminate/,
    );
  });

  test("--max-time-skew 2m: Kea's own 60 s still applies (limitFrom names Kea HA), the same 1-minute message", async () => {
    const r = await cli(args(['--local', '127.0.0.1', '--local-ntp', `127.0.0.1:${ntp.local}`, '--max-time-skew', '2m']));
    const t = r.by('time');
    assert.equal(t.code, 'time.skew-exceeded', show(r));
    assert.equal(t.message, TIME_1_MINUTE);
    assert.equal(t.details.limitSeconds, 60);
    assert.match(String(t.details.limitFrom), /server: Kea HA \(terminates above 60 s\)$/);
  });

  test('the local server is remote (--local): both clocks from Kea; its status-get clock-skew decides; time fails (time.skew-exceeded) with the message for 1 minute', async () => {
    const r = await cli(args(['--local', '127.0.0.1', '--local-ntp', `127.0.0.1:${ntp.local}`]));
    const t = r.by('time');
    assert.equal(t.code, 'time.skew-exceeded', show(r));
    assert.equal(t.message, TIME_1_MINUTE);
    assert.equal(t.details.measuredBy, 'Kea status-get clock-skew on the local server');
    assert.equal(t.details.differenceMs, 90000);
    assert.equal(t.details.limitSeconds, 60);
    assert.match(String(t.details.limitFrom), /Kea HA \(terminates above 60 s\)|--max-time-skew/);
    assert.match(String((t.details.partner as Json).source), /^kea (ha-heartbeat|http-date) \(NTP[: ]/);
    assert.equal(r.run.code, 1);
  });

  test('the local server is this machine: its clock is exact, the partner read from Kea (ha-heartbeat / HTTP Date): time fails the same way', async () => {
    const r = await cli(args([]));
    const t = r.by('time');
    assert.equal(t.code, 'time.skew-exceeded', show(r));
    assert.equal(t.message, TIME_1_MINUTE);
    // ±1 s from one coarse reading beats ±2 s of Kea's own measure.
    assert.equal(t.details.measuredBy, 'the two clock readings');
    assert.equal((t.details.local as Json).source, 'this machine');
    const partner = t.details.partner as Json;
    assert.match(String(partner.source), /^kea (ha-heartbeat|http-date) \(NTP[: ]/);
    assert.ok(Math.abs(Number(t.details.differenceMs) - 90000) < 2000, String(t.details.differenceMs));
  });
});
