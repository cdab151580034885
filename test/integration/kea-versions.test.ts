import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../helpers/kea.js';
import {
  firstEntry,
  healthyHotStandbyPair,
  hotStandbyPairSpecs,
  keaRoot,
  leftoverFiles,
  startKeaServers,
  type KeaReply,
  type KeaServer,
  type KeaServerSpec,
  type KeaServers,
  type KeaVersion,
} from '../helpers/kea-multi.js';

// Real Kea 2.2 (host), 2.6.3 and 3.0.4 (debootstrap chroots, test/helpers/build-kea-chroots.sh) on
// loopback, through test/helpers/kea-multi.ts. A chroot that is missing or a server that does not
// start fails here: nothing skips. KEA_WRITE_FIXTURES=1 also saves one real reply of each command
// per version under test/fixtures/kea/<version>/ (passwords replaced by "REDACTED").

const VERSIONS: KeaVersion[] = ['2.2', '2.6', '3.0'];
const FULL: Record<KeaVersion, string> = { '2.2': '2.2.0', '2.6': '2.6.3', '3.0': '3.0.4' };
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kea/', import.meta.url));
const password = () => `pw-${Math.random().toString(36).slice(2, 10)}-kea`;

type Json = Record<string, unknown>;

function entry(reply: KeaReply): Json {
  assert.equal(reply.status, 200, reply.text);
  assert.ok(Array.isArray(reply.json), `a list reply, got ${reply.text.slice(0, 200)}`);
  const e = firstEntry(reply);
  assert.ok(e, reply.text);
  return e as Json;
}

function args(reply: KeaReply): Json {
  const e = entry(reply);
  assert.equal(e.result, 0, reply.text);
  return e.arguments as Json;
}

function haOf(statusArgs: Json): Json[] {
  const ha = statusArgs['high-availability'];
  assert.ok(Array.isArray(ha), 'status-get carries high-availability');
  return ha as Json[];
}

const servers = (r: Json) => r['ha-servers'] as { local: Json; remote: Json };

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /password/i.test(k) ? 'REDACTED' : redact(v)]));
}

function saveFixture(version: KeaVersion, name: string, reply: KeaReply, secrets: string[]): void {
  if (process.env.KEA_WRITE_FIXTURES !== '1') return;
  const text = `${JSON.stringify(redact(reply.json ?? reply.text), null, 2)}\n`;
  for (const s of secrets) assert.ok(!text.includes(s), `fixture ${version}/${name} still carries a secret`);
  mkdirSync(join(FIXTURES, version), { recursive: true });
  writeFileSync(join(FIXTURES, version, `${name}.json`), text);
}

function assertOwnPid(s: KeaServer): void {
  // chroot and env exec: the PID recorded is the daemon's, so stop() signals Kea itself.
  assert.equal(readFileSync(`/proc/${s.pids.dhcp4}/comm`, 'utf8').trim(), 'kea-dhcp4');
  assert.equal(realpathSync(`/proc/${s.pids.dhcp4}/root`), realpathSync(s.root));
  if (s.pids.agent !== undefined) assert.equal(readFileSync(`/proc/${s.pids.agent}/comm`, 'utf8').trim(), 'kea-ctrl-agent');
}

function secondsAhead(httpDate: string): number {
  return (Date.parse(httpDate) - Date.now()) / 1000;
}

for (const version of VERSIONS) {
  describe(`Kea ${version}: healthy hot-standby pair`, () => {
    const secret = password();
    let pair: KeaServers;
    let toHotStandbyMs = 0;
    before(async () => {
      const t0 = performance.now();
      pair = await healthyHotStandbyPair(version, { auth: { server2: { user: 'kea', password: secret } } });
      await Promise.all(['server1', 'server2'].map((n) => pair.waitForHaState(n, 'hot-standby', 30000)));
      toHotStandbyMs = Math.round(performance.now() - t0);
      const ready = pair.servers.map((s) => `${s.name} ${s.readyMs} ms`).join(', ');
      console.log(`# Kea ${version}: status-get answered after ${ready}; both hot-standby after ${toHotStandbyMs} ms`);
    });
    after(() => pair?.stop());

    test('both servers are in hot-standby, primary and standby', async () => {
      for (const [name, role] of [
        ['server1', 'primary'],
        ['server2', 'standby'],
      ] as const) {
        const [rel, ...more] = haOf(args(await pair.server(name).command('status-get')));
        assert.equal(more.length, 0);
        assert.equal(rel!['ha-mode'], 'hot-standby');
        assert.equal(servers(rel!).local.state, 'hot-standby');
        assert.equal(servers(rel!).local.role, role);
        assert.equal(servers(rel!).remote['in-touch'], true);
      }
      assert.ok(toHotStandbyMs < 30000);
    });

    test('each recorded PID is the Kea daemon itself, inside its chroot', () => {
      for (const s of pair.servers) assertOwnPid(s);
    });

    test(`version-get says ${FULL[version]}`, async () => {
      const r = await pair.server('server2').command('version-get');
      const e = entry(r);
      assert.equal(e.result, 0);
      assert.ok(typeof e.text === 'string' && e.text.startsWith(`${version}.`), String(e.text));
      assert.equal(e.text, FULL[version]);
      saveFixture(version, 'version-get', r, [secret]);
    });

    test('basic auth on server2: none or a wrong password is HTTP 401, the right one 200', async () => {
      const s = pair.server('server2');
      const wrong = await s.command('status-get', undefined, { auth: { user: 'kea', password: `${secret}x` } });
      assert.equal(wrong.status, 401, wrong.text);
      assert.match(String(wrong.headers['www-authenticate']), /^Basic realm="/);
      assert.deepEqual(wrong.json, { result: 401, text: 'Unauthorized' });
      assert.ok(!wrong.text.includes(secret));
      const none = await s.command('status-get', undefined, { auth: null });
      assert.equal(none.status, 401);
      assert.equal((await s.command('status-get')).status, 200);
      // server1 has no authentication configured.
      assert.equal((await pair.server('server1').command('status-get', undefined, { auth: null })).status, 200);
    });

    test('status-get: HA shape of this release (clock skew and server names only where Kea reports them)', async () => {
      const r = await pair.server('server1').command('status-get');
      const a = args(r);
      const { local, remote } = servers(haOf(a)[0]!);
      assert.equal(typeof a.pid, 'number');
      assert.equal(a.pid, pair.server('server1').pids.dhcp4);
      assert.equal(a['multi-threading-enabled'], version !== '2.2');
      if (version === '3.0') {
        assert.equal(typeof remote['clock-skew'], 'number');
        assert.ok(Math.abs(remote['clock-skew'] as number) <= 1, `skew ${String(remote['clock-skew'])}`);
        assert.match(String(local['system-time']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        assert.match(String(remote['system-time']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      } else {
        assert.equal(remote['clock-skew'], undefined);
        assert.equal(local['system-time'], undefined);
      }
      if (version === '2.2') assert.equal(local['server-name'], undefined);
      else {
        assert.equal(local['server-name'], 'server1');
        assert.equal(remote['server-name'], 'server2');
      }
      saveFixture(version, 'status-get', await pair.server('server2').command('status-get'), [secret]);
    });

    test('config-get: Dhcp4 with subnet ids, HA peers and the control channel of this release', async () => {
      const r = await pair.server('server2').command('config-get');
      const dhcp4 = args(r).Dhcp4 as Json;
      const subnets = dhcp4.subnet4 as Json[];
      assert.deepEqual(
        subnets.map((s) => [s.id, s.subnet]),
        [
          [1, '10.99.0.0/24'],
          [2, '10.99.1.0/24'],
        ],
      );
      if (version === '3.0') {
        const sockets = dhcp4['control-sockets'] as Json[];
        assert.equal(sockets[0]!['socket-type'], 'http');
        assert.equal(dhcp4['control-socket'], undefined);
      } else {
        assert.equal((dhcp4['control-socket'] as Json)['socket-type'], 'unix');
      }
      const hook = (dhcp4['hooks-libraries'] as Json[]).find((h) => String(h.library).endsWith('libdhcp_ha.so'));
      const rel = ((hook!.parameters as Json)['high-availability'] as Json[])[0]!;
      assert.equal(rel['this-server-name'], 'server2');
      // 3.0 echoes the control socket's basic-auth password in clear: the fixture must not.
      saveFixture(version, 'config-get', r, [secret]);
    });

    test('ha-heartbeat and list-commands answer', async () => {
      const hb = await pair.server('server2').command('ha-heartbeat');
      const a = args(hb);
      assert.equal(a.state, 'hot-standby');
      assert.ok(Math.abs(secondsAhead(String(a['date-time']))) < 3);
      saveFixture(version, 'ha-heartbeat', hb, [secret]);
      const lc = await pair.server('server2').command('list-commands');
      const list = entry(lc).arguments as string[];
      for (const c of ['status-get', 'config-get', 'version-get', 'ha-heartbeat']) assert.ok(list.includes(c), c);
      assert.equal(list.includes('subnet4-list'), false, 'subnet4-list needs the subnet_cmds hook');
      saveFixture(version, 'list-commands', lc, [secret]);
    });

    test('the logs record the commands received, HA heartbeats from the peer included', async () => {
      const s2 = pair.server('server2');
      await s2.command('version-get');
      await s2.command('list-commands');
      const got = s2.receivedCommands();
      assert.ok(got.includes('version-get') && got.includes('list-commands'), got.slice(-10).join(' '));
      assert.ok(pair.server('server1').receivedCommands().includes('ha-heartbeat'));
      if (s2.control === 'agent') assert.ok(s2.agentCommands().includes('version-get'));
      else assert.deepEqual(s2.agentCommands(), []);
      assert.ok(!s2.log().includes(secret), 'the password never reaches the log');
    });

    if (version !== '2.2') {
      test(`service: [] goes to ${version === '3.0' ? 'kea-dhcp4 itself' : 'the agent'}`, async () => {
        const s = pair.server('server2');
        const cg = await s.command('config-get', undefined, { service: [] });
        const a = args(cg);
        if (version === '3.0') assert.ok('Dhcp4' in a, Object.keys(a).join(','));
        else assert.ok('Control-agent' in a, Object.keys(a).join(','));
        saveFixture(version, 'config-get.service-empty', cg, [secret]);
        const lc = await s.command('list-commands', undefined, { service: [] });
        const list = entry(lc).arguments as string[];
        if (version === '3.0') assert.ok(list.includes('ha-heartbeat'));
        else assert.equal(list.includes('ha-heartbeat'), false, 'the agent lists its own commands');
        saveFixture(version, 'list-commands.service-empty', lc, [secret]);
      });
    }

    test('stop() ends both servers and leaves no files behind', async () => {
      const pids = pair.servers.flatMap((s) => [s.pids.dhcp4, s.pids.agent ?? s.pids.dhcp4]);
      await pair.stop();
      for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
      assert.deepEqual(leftoverFiles(version), []);
    });
  });

  describe(`Kea ${version}: partner 90 s ahead (libfaketime)`, () => {
    let pair: KeaServers;
    before(async () => {
      pair = await healthyHotStandbyPair(version, { faketime: { server2: '+90' } });
    });
    after(() => pair?.stop());

    test("the partner's clock shows 90 s ahead in ha-heartbeat, HTTP Date and (3.0) Kea's own clock-skew", async () => {
      const hb = await pair.server('server2').command('ha-heartbeat');
      const ahead = secondsAhead(String(args(hb)['date-time']));
      assert.ok(ahead > 87 && ahead < 93, `ha-heartbeat date-time ${ahead} s ahead`);
      const dateAhead = secondsAhead(String(hb.headers.date));
      assert.ok(dateAhead > 87 && dateAhead < 93, `HTTP Date ${dateAhead} s ahead`);
      const local = secondsAhead(String(args(await pair.server('server1').command('ha-heartbeat'))['date-time']));
      assert.ok(Math.abs(local) < 3, `server1 is not shifted (${local} s)`);
      // Kea terminates HA above 60 s of skew: server1 reaches "terminated" once it has heard server2.
      const ms = await pair.waitForHaState('server1', 'terminated', 15000);
      console.log(`# Kea ${version}: server1 terminated HA ${ms} ms after startup checks (partner +90 s)`);
      const remote = servers(haOf(args(await pair.server('server1').command('status-get')))[0]!).remote;
      if (version === '3.0') assert.equal(remote['clock-skew'], 90);
      else assert.equal(remote['clock-skew'], undefined);
      assert.match(pair.server('server1').log(), /HA_HIGH_CLOCK_SKEW_CAUSE[SD]_TERMINATION .*partner's clock is 90s ahead/);
    });
  });
}

// ---- hub and spoke: one hub in two hot-standby relationships ----

async function hubAndSpokes(_version: KeaVersion): Promise<KeaServerSpec[]> {
  // The hub's two relationships each need their own port: a shared one fails to bind on 3.0
  // (dedicated listener per relationship) and leaves the second relationship partner-down on 2.6.
  let [hubA, hubB] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  while (hubB === hubA) hubB = await freePort('127.0.0.1');
  const [spoke1, spoke2] = [await freePort('127.0.0.2'), await freePort('127.0.0.3')];
  const relA = [
    { name: 'hub-a', url: `http://127.0.0.1:${hubA}/`, role: 'primary' },
    { name: 'spoke1', url: `http://127.0.0.2:${spoke1}/`, role: 'standby' },
  ];
  const relB = [
    { name: 'hub-b', url: `http://127.0.0.1:${hubB}/`, role: 'primary' },
    { name: 'spoke2', url: `http://127.0.0.3:${spoke2}/`, role: 'standby' },
  ];
  const rel = (self: string, peers: object[]) => ({
    'this-server-name': self,
    mode: 'hot-standby',
    'heartbeat-delay': 1000,
    'max-response-delay': 5000,
    'max-ack-delay': 5000,
    'max-unacked-clients': 5,
    peers,
  });
  const hooks = (rels: object[]) => [{ library: 'libdhcp_lease_cmds.so' }, { library: 'libdhcp_ha.so', parameters: { 'high-availability': rels } }];
  const subnet = (id: number, relationship?: string) => ({
    id,
    subnet: `10.98.${id}.0/24`,
    pools: [{ pool: `10.98.${id}.10 - 10.98.${id}.20` }],
    ...(relationship ? { 'user-context': { 'ha-server-name': relationship } } : {}),
  });
  return [
    {
      name: 'hub',
      host: '127.0.0.1',
      dhcp4: { 'hooks-libraries': hooks([rel('hub-a', relA), rel('hub-b', relB)]), subnet4: [subnet(1, 'hub-a'), subnet(2, 'hub-b')] },
    },
    { name: 'spoke1', host: '127.0.0.2', dhcp4: { 'hooks-libraries': hooks([rel('spoke1', relA)]), subnet4: [subnet(1)] } },
    { name: 'spoke2', host: '127.0.0.3', dhcp4: { 'hooks-libraries': hooks([rel('spoke2', relB)]), subnet4: [subnet(2)] } },
  ];
}

for (const version of ['2.6', '3.0'] as const) {
  describe(`Kea ${version}: a hub in two hot-standby relationships (hub + spoke1, hub + spoke2)`, () => {
    let hub: KeaServers;
    before(async () => {
      const t0 = performance.now();
      hub = await startKeaServers({ version, servers: await hubAndSpokes(version) });
      await Promise.all(['hub', 'spoke1', 'spoke2'].map((n) => hub.waitForHaState(n, 'hot-standby', 30000)));
      console.log(`# Kea ${version}: hub and both spokes hot-standby after ${Math.round(performance.now() - t0)} ms`);
    });
    after(() => hub?.stop());

    test('the hub reports both relationships, each with its own name and partner', async () => {
      const rels = haOf(args(await hub.server('hub').command('status-get')));
      assert.deepEqual(
        rels.map((r) => [servers(r).local['server-name'], servers(r).local.state, servers(r).remote['server-name'], servers(r).local.scopes]),
        [
          ['hub-a', 'hot-standby', 'spoke1', ['hub-a']],
          ['hub-b', 'hot-standby', 'spoke2', ['hub-b']],
        ],
      );
      for (const n of ['spoke1', 'spoke2']) assert.deepEqual(await hub.server(n).haStates(), ['hot-standby']);
      saveFixture(version, 'status-get.hub', await hub.server('hub').command('status-get'), []);
    });
  });
}

// ---- configurations Kea refuses: the harness throws with Kea's own words ----

type Mutation = (ha: Json[]) => void;
const BROKEN: { name: string; mutate: Mutation; says: RegExp }[] = [
  {
    name: 'two primaries',
    mutate: (ha) => void ((ha[0]!.peers as Json[])[1]!.role = 'primary'),
    says: /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: multiple primary servers specified/,
  },
  {
    name: 'this-server-name not among the peers',
    mutate: (ha) => void (ha[0]!['this-server-name'] = 'server9'),
    says: /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: no peer configuration specified for the 'server9'/,
  },
  {
    name: 'hot-standby without a standby',
    mutate: (ha) => void ((ha[0]!.peers as Json[])[1]!.role = 'backup'),
    says: /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: standby server required in the hot standby configuration/,
  },
  {
    name: 'two relationships with the same this-server-name',
    mutate: (ha) => {
      const second = structuredClone(ha[0]!);
      (second.peers as Json[])[1] = { name: 'server3', url: 'http://127.0.0.3:9/', role: 'standby' };
      ha.push(second);
    },
    says: /HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: server names must be unique for different relationships: a relationship 'server1' already exists/,
  },
];

for (const version of ['2.6', '3.0'] as const) {
  describe(`Kea ${version}: HA configurations Kea refuses`, () => {
    for (const c of BROKEN) {
      test(`${c.name}: startKeaServers throws with Kea's error`, async () => {
        const [s1] = await hotStandbyPairSpecs(version);
        const hooks = s1.dhcp4['hooks-libraries'] as { parameters?: { 'high-availability': Json[] } }[];
        c.mutate(hooks[1]!.parameters!['high-availability']);
        const err = await startKeaServers({ version, servers: [s1] }).then(
          (s) => s.stop().then(() => assert.fail('Kea accepted the configuration')),
          (e: unknown) => e as Error,
        );
        assert.match(err.message, c.says);
        assert.match(
          err.message,
          /DHCP4_INIT_FAIL failed to initialize Kea server: configuration error using file '\/tmp\/[^']+\/dhcp4.json': One or more hook libraries failed to load/,
        );
        assert.match(err.message, /exited \(code 1/);
        assert.deepEqual(leftoverFiles(version), []);
      });
    }
  });
}

test('the chroots hold the Kea they are named for', () => {
  for (const version of ['2.6', '3.0'] as const) {
    assert.equal(readFileSync(join(keaRoot(version), '.complete'), 'utf8').trim(), FULL[version]);
  }
});
