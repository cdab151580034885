import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ServerFacts } from '../../src/facts.js';
import { formatIPv4 } from '../../src/net/ipv4.js';
import { ALLOWED_COMMANDS, keaCommand } from '../../src/sources/kea/client.js';
import { loadKea } from '../../src/sources/kea/source.js';
import { ProbeError } from '../../src/util/errors.js';
import { freePort, makeTestCa, rawPost, startKeaPair, startRecordingProxy, type KeaPair } from '../helpers/kea.js';

// Real Kea 2.2 servers on loopback (test/helpers/kea.ts); the harness throws when they do not
// start, so a machine without Kea fails here rather than skipping.

const TIMEOUT_MS = 3000;
const allowed = new Set<string>(ALLOWED_COMMANDS);

const scopeList = (f: ServerFacts) =>
  (f.scopes ?? []).map((s) => ({ subnet: `${formatIPv4(s.network)}/${s.prefix}`, id: s.subnetId })).sort((a, b) => a.subnet.localeCompare(b.subnet));

function assertNoSecret(facts: unknown, password: string): void {
  assert.ok(!JSON.stringify(facts).includes(password), 'the basic-auth password must not appear in the facts');
}

function assertClockSane(f: ServerFacts): void {
  // Same machine: the true offset is 0, so every sample's bound must contain 0.
  for (const c of f.kea?.clock ?? []) {
    assert.ok(Math.abs(c.offsetMs) <= c.errorMs, `${c.source} offset ${c.offsetMs} outside ±${c.errorMs}`);
    assert.ok(c.errorMs >= 1000 && c.errorMs < 1000 + TIMEOUT_MS);
  }
}

async function rejectsWith(work: Promise<unknown>, code: string): Promise<ProbeError> {
  const err = await work.then(
    () => assert.fail(`expected a ProbeError ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProbeError, `expected ProbeError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return err;
}

describe('kea source: before setup (two servers, no HA hook)', () => {
  let pair: KeaPair;
  before(async () => {
    pair = await startKeaPair('before-setup');
  });
  after(() => pair?.stop());

  test('local: version, running, subnets with ids, no HA, agent binding', async () => {
    const f = await loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS });
    assert.equal(f.platform, 'kea');
    assert.equal(f.source, `kea:${pair.local.url}`);
    assert.deepEqual(f.version, { product: 'Kea', major: 2, minor: 2, build: 0, text: '2.2.0' });
    assert.equal(f.service?.state, 'running');
    assert.equal(f.kea?.haConfigured, false);
    assert.equal(f.kea?.haHookLoaded, false);
    assert.equal(f.kea?.leaseCmdsHookLoaded, false);
    assert.deepEqual(f.kea?.hooks, []);
    assert.deepEqual(f.relationships, []);
    // The limit (one relationship before 2.6) is the Kea platform's judgement, not a source fact.
    assert.equal(f.maxRelationships, undefined);
    assert.deepEqual(scopeList(f), [
      { subnet: '10.99.0.0/24', id: 1 },
      { subnet: '10.99.1.0/24', id: 2 },
    ]);
    const main = f.scopes?.find((s) => s.subnetId === 1);
    assert.equal(formatIPv4(main!.rangeStart!), '10.99.0.100');
    assert.equal(formatIPv4(main!.rangeEnd!), '10.99.0.200');
    const lab = f.scopes?.find((s) => s.subnetId === 2);
    assert.equal(formatIPv4(lab!.rangeStart!), '10.99.1.0');
    assert.equal(formatIPv4(lab!.rangeEnd!), '10.99.1.127');
    assert.equal(f.kea?.subnets?.find((s) => s.id === 2)?.sharedNetwork, 'lab');
    assert.equal(f.kea?.agent?.httpHost, '127.0.0.1');
    assert.equal(f.kea?.agent?.httpPort, pair.local.port);
    assert.deepEqual(f.addresses, ['127.0.0.1']);
    assert.equal(f.identity?.isDhcpAdministrator, true);
    assert.deepEqual(
      f.kea?.clock.map((c) => c.source),
      ['http-date'],
    );
    assertClockSane(f);
  });

  test('partner with correct credentials: full facts, password nowhere in them', async () => {
    const raw = await rawPost(pair.partner.url, { command: 'config-get' }, pair.credentials);
    assert.ok(raw.body.includes(pair.credentials.password), 'precondition: the agent does return its password');
    const f = await loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS, user: 'kea', password: pair.credentials.password });
    assert.equal(f.version?.text, '2.2.0');
    assert.equal(f.kea?.haConfigured, false);
    assert.equal(f.kea?.agent?.httpHost, '127.0.0.2');
    assert.deepEqual(f.identity, { user: 'kea', isDhcpAdministrator: true });
    assertNoSecret(f, pair.credentials.password);
  });

  test('partner without credentials: 401, permission denied, other facts unknown', async () => {
    const f = await loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS });
    assert.equal(f.identity?.isDhcpAdministrator, false);
    assert.equal(f.kea?.authStatus, 401);
    assert.equal(f.version, undefined);
    assert.equal(f.service, undefined);
    assert.equal(f.scopes, undefined);
    assert.equal(f.kea?.haConfigured, undefined);
    assert.match(f.notes?.join('\n') ?? '', /HTTP 401/);
  });

  test('partner with a wrong password: 401, and the wrong password is not echoed', async () => {
    const wrong = 'wrong-pw-7f3a';
    const f = await loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS, user: 'kea', password: wrong });
    assert.equal(f.identity?.isDhcpAdministrator, false);
    assert.equal(f.identity?.user, 'kea');
    assert.equal(f.kea?.authStatus, 401);
    assertNoSecret(f, wrong);
    await rejectsWith(keaCommand(pair.partner.url, 'version-get', { timeoutMs: TIMEOUT_MS, user: 'kea', password: wrong }), 'unauthorized');
  });

  test('userinfo in the URL is stripped from the source and never used', async () => {
    const url = pair.local.url.replace('http://', 'http://someone:hunter2@');
    const f = await loadKea(url, { timeoutMs: TIMEOUT_MS });
    assert.equal(f.source, `kea:${pair.local.url}`);
    assertNoSecret(f, 'hunter2');
  });

  test('only allow-listed commands reached the agents', () => {
    for (const which of ['local', 'partner'] as const) {
      const seen = pair.receivedCommands(which);
      assert.ok(seen.includes('config-get') && seen.includes('version-get'), `${which} agent log records our commands`);
      assert.deepEqual(
        seen.filter((c) => !allowed.has(c)),
        [],
        `${which} agent received ${seen.join(', ')}`,
      );
    }
  });

  test('dhcp4 stopped behind a live agent: service stopped, version and scopes unknown', async () => {
    await pair.stopDhcp4('local');
    const f = await loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS });
    assert.equal(f.service?.state, 'stopped');
    assert.match(f.service?.raw ?? '', /likely to be offline/);
    assert.equal(f.version, undefined);
    assert.equal(f.scopes, undefined);
    assert.equal(f.kea?.haConfigured, undefined);
    assert.equal(f.kea?.agent?.httpHost, '127.0.0.1', 'the agent itself still answers');
    assert.equal(f.kea?.clock[0]?.source, 'http-date');
  });
});

describe('kea source: scope differences before setup', () => {
  test('partner lacks one subnet', async () => {
    const pair = await startKeaPair('before-setup-missing-subnet');
    try {
      const auth = { user: 'kea', password: pair.credentials.password };
      const [l, p] = await Promise.all([loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS }), loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS, ...auth })]);
      assert.deepEqual(
        scopeList(l).map((s) => s.subnet),
        ['10.99.0.0/24', '10.99.1.0/24'],
      );
      assert.deepEqual(scopeList(p), [{ subnet: '10.99.0.0/24', id: 1 }]);
    } finally {
      await pair.stop();
    }
  });

  test('same prefix, other subnet id on the partner', async () => {
    const pair = await startKeaPair('different-subnet-id');
    try {
      const auth = { user: 'kea', password: pair.credentials.password };
      const [l, p] = await Promise.all([loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS }), loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS, ...auth })]);
      assert.equal(scopeList(l).find((s) => s.subnet === '10.99.0.0/24')?.id, 1);
      assert.equal(scopeList(p).find((s) => s.subnet === '10.99.0.0/24')?.id, 11);
    } finally {
      await pair.stop();
    }
  });
});

describe('kea source: configured hot-standby pair', () => {
  let pair: KeaPair;
  before(async () => {
    pair = await startKeaPair('configured');
    const waited = await Promise.all([pair.waitForHaState('local', 'hot-standby'), pair.waitForHaState('partner', 'hot-standby')]);
    console.log(
      `kea: agents ready after ${pair.local.readyMs.toFixed(0)} / ${pair.partner.readyMs.toFixed(0)} ms; hot-standby after ${waited.map((w) => w.toFixed(0)).join(' / ')} ms more`,
    );
  });
  after(() => pair?.stop());

  test('local: HA configured, relationship and peers, heartbeat clock, partner password stripped', async () => {
    const f = await loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS });
    assert.equal(f.kea?.haConfigured, true);
    assert.equal(f.kea?.haHookLoaded, true);
    assert.equal(f.kea?.leaseCmdsHookLoaded, true);
    assert.deepEqual(f.kea?.haRelationships, [
      {
        thisServerName: 'server1',
        mode: 'hot-standby',
        heartbeatDelayMs: 1000,
        maxResponseDelayMs: 5000,
        peers: [
          { name: 'server1', url: pair.local.url, role: 'primary', autoFailover: true },
          { name: 'server2', url: pair.partner.url, role: 'standby', autoFailover: true, basicAuthUser: true },
        ],
        // What Kea 2.2's config-get reports with its defaults filled in.
        maxAckDelayMs: 5000,
        maxUnackedClients: 5,
        delayedUpdatesLimit: 0,
        syncTimeoutMs: 60000,
        syncPageLimit: 10000,
        sendLeaseUpdates: true,
        syncLeases: true,
        waitBackupAck: false,
        requireClientCerts: true,
        restrictCommands: false,
        multiThreading: { enableMultiThreading: false, httpDedicatedListener: false, httpListenerThreads: 0, httpClientThreads: 0 },
      },
    ]);
    assert.deepEqual(f.relationships, [{ name: 'server1/server2', partner: pair.partner.url, mode: 'hot-standby', scopeIds: ['10.99.0.0', '10.99.1.0'] }]);
    assert.equal(f.kea?.haStatus?.[0]?.localState, 'hot-standby');
    assert.equal(f.kea?.haStatus?.[0]?.inTouch, true);
    assert.deepEqual(
      f.kea?.clock.map((c) => c.source),
      ['http-date', 'ha-heartbeat'],
    );
    assertClockSane(f);
    // server1's config-get carries server2's basic-auth-password for the HA peer.
    const raw = await rawPost(pair.local.url, { command: 'config-get', service: ['dhcp4'] });
    assert.ok(raw.body.includes(pair.credentials.password), 'precondition: config-get returns the peer password');
    assertNoSecret(f, pair.credentials.password);
  });

  test('partner through a recording proxy: facts correct, only allow-listed commands sent', async () => {
    const proxy = await startRecordingProxy(pair.partner.url);
    try {
      const f = await loadKea(proxy.url, { timeoutMs: TIMEOUT_MS, user: 'kea', password: pair.credentials.password });
      assert.equal(f.kea?.haConfigured, true);
      assert.equal(f.kea?.haRelationships?.[0]?.thisServerName, 'server2');
      assert.equal(f.relationships?.[0]?.partner, pair.local.url);
      assertNoSecret(f, pair.credentials.password);
      assert.deepEqual([...proxy.commands].sort(), ['config-get', 'config-get', 'ha-heartbeat', 'status-get', 'version-get']);
      assert.ok(proxy.commands.every((c) => allowed.has(c)));
    } finally {
      await proxy.close();
    }
  });
});

describe('kea source: partner paired elsewhere', () => {
  test("partner's relationship names server3, not server1", async () => {
    const pair = await startKeaPair('partner-paired-elsewhere');
    try {
      const [l, p] = await Promise.all([
        loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS }),
        loadKea(pair.partner.url, { timeoutMs: TIMEOUT_MS, user: 'kea', password: pair.credentials.password }),
      ]);
      assert.equal(l.kea?.haConfigured, false);
      assert.equal(p.kea?.haConfigured, true);
      assert.deepEqual(
        p.kea?.haRelationships?.[0]?.peers.map((x) => [x.name, x.url, x.role]),
        [
          ['server3', pair.elsewhereUrl, 'primary'],
          ['server2', pair.partner.url, 'standby'],
        ],
      );
      assert.equal(p.relationships?.length, 1);
      assert.equal(p.relationships?.[0]?.partner, pair.elsewhereUrl);
      assertNoSecret(p, pair.credentials.password);
    } finally {
      await pair.stop();
    }
  });
});

describe('kea source: HTTPS agent with a private CA', () => {
  test('verified by default (fails without --kea-ca), works with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kea-tls-'));
    const tls = makeTestCa(dir);
    const pair = await startKeaPair('before-setup', { localTls: tls });
    try {
      assert.ok(pair.local.url.startsWith('https://'));
      await rejectsWith(loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS }), 'tls');
      const f = await loadKea(pair.local.url, { timeoutMs: TIMEOUT_MS, caFile: tls.caFile });
      assert.equal(f.version?.text, '2.2.0');
      assert.equal(f.kea?.agent?.tls, true);
    } finally {
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kea client: refusals and broken agents', () => {
  test('a command outside the allow-list throws before any socket is opened', async () => {
    const connections: Socket[] = [];
    const server = createNetServer((s) => connections.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      for (const command of ['config-set', 'shutdown', 'lease4-del', 'ha-maintenance-start', 'subnet4-list', 'VERSION-GET']) {
        await rejectsWith(keaCommand(`http://127.0.0.1:${port}/`, command, { timeoutMs: TIMEOUT_MS }), 'not-allowed');
      }
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(connections.length, 0);
    } finally {
      server.close();
    }
  });

  test('nothing listening: unreachable within the timeout', async () => {
    const port = await freePort('127.0.0.1');
    const t0 = performance.now();
    await rejectsWith(loadKea(`http://127.0.0.1:${port}/`, { timeoutMs: TIMEOUT_MS }), 'unreachable');
    assert.ok(performance.now() - t0 < TIMEOUT_MS);
  });

  describe('against fake agents', () => {
    let server: Server;
    let base: string;
    let handler: (res: import('node:http').ServerResponse) => void = () => {};
    before(async () => {
      server = createHttpServer((req, res) => {
        req.resume();
        req.on('end', () => handler(res));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    test('a reply that never completes times out on the whole-response bound', async () => {
      handler = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).write('[ { "result": 0,');
      const t0 = performance.now();
      await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: 300 }), 'timeout');
      assert.ok(performance.now() - t0 < 1500);
    });

    test('an oversized reply is cut off at the cap', async () => {
      handler = (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[');
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent < 200 && !res.destroyed) res.once('drain', pump);
        };
        res.on('error', () => {});
        pump();
      };
      const err = await rejectsWith(keaCommand(base, 'config-get', { timeoutMs: TIMEOUT_MS, maxBytes: 1024 * 1024 }), 'bad-reply');
      assert.match(err.message, /cap/);
    });

    test('a redirect is not followed and names the Location host', async () => {
      handler = (res) => res.writeHead(302, { Location: 'http://evil.example:8000/' }).end();
      const err = await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: TIMEOUT_MS }), 'bad-reply');
      assert.match(err.message, /redirect.*evil\.example:8000/);
    });

    test('HTTP 403 is a permission refusal', async () => {
      handler = (res) => res.writeHead(403, { 'Content-Type': 'application/json' }).end('{ "result": 403, "text": "Forbidden" }');
      await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: TIMEOUT_MS }), 'unauthorized');
      const f = await loadKea(base, { timeoutMs: TIMEOUT_MS });
      assert.equal(f.identity?.isDhcpAdministrator, false);
      assert.equal(f.kea?.authStatus, 403);
    });

    test('an aborted run stops the request with code aborted', async () => {
      handler = () => {};
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await rejectsWith(loadKea(base, { timeoutMs: TIMEOUT_MS, signal: ac.signal }), 'aborted');
    });

    test('non-JSON and wrong-shaped JSON are bad replies that say what was wrong', async () => {
      handler = (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>');
      assert.match((await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: TIMEOUT_MS }), 'bad-reply')).message, /not JSON/);
      handler = (res) => res.writeHead(200).end('{"result": 0}');
      assert.match((await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: TIMEOUT_MS }), 'bad-reply')).message, /object, expected a list/);
      handler = (res) => res.writeHead(200).end('[{"text": "no result"}]');
      assert.match((await rejectsWith(keaCommand(base, 'version-get', { timeoutMs: TIMEOUT_MS }), 'bad-reply')).message, /entry 0 has no numeric "result"/);
      await rejectsWith(loadKea(base, { timeoutMs: TIMEOUT_MS }), 'bad-reply');
    });
  });
});
