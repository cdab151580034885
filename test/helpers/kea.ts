import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, waitReady, type Daemon } from './daemon.js';

// Two real Kea 2.2 servers (kea-dhcp4 + kea-ctrl-agent each) on loopback, per
// /work/shared/recipes/REAL-SERVERS.md. server1 ("local") on 127.0.0.1 without auth, server2
// ("partner") on 127.0.0.2 with basic auth. A server that does not come up is an error with its
// output, never a skip: CI must fail when Kea is missing.

export type KeaScenario = 'before-setup' | 'before-setup-missing-subnet' | 'configured' | 'different-subnet-id' | 'partner-paired-elsewhere';

export type Which = 'local' | 'partner';

const HOOKS = '/usr/lib/x86_64-linux-gnu/kea/hooks';
const READY_WITHIN_MS = 5000;

interface SubnetSpec {
  id: number;
  subnet: string;
  pool: string;
  sharedNetwork?: string;
}

const MAIN: SubnetSpec = { id: 1, subnet: '10.99.0.0/24', pool: '10.99.0.100 - 10.99.0.200' };
const LAB: SubnetSpec = { id: 2, subnet: '10.99.1.0/24', pool: '10.99.1.0/25', sharedNetwork: 'lab' };

interface ServerSpec {
  subnets: SubnetSpec[];
  /** 'pair': HA with server1 + server2; 'elsewhere': HA with itself + server3 (127.0.0.3). */
  ha?: 'pair' | 'elsewhere';
}

/** What each scenario changes; everything else is the recipe's config. */
export const SCENARIOS: Record<KeaScenario, { local: ServerSpec; partner: ServerSpec }> = {
  'before-setup': { local: { subnets: [MAIN, LAB] }, partner: { subnets: [MAIN, LAB] } },
  'before-setup-missing-subnet': { local: { subnets: [MAIN, LAB] }, partner: { subnets: [MAIN] } },
  configured: { local: { subnets: [MAIN, LAB], ha: 'pair' }, partner: { subnets: [MAIN, LAB], ha: 'pair' } },
  'different-subnet-id': { local: { subnets: [MAIN, LAB] }, partner: { subnets: [{ ...MAIN, id: 11 }, LAB] } },
  'partner-paired-elsewhere': { local: { subnets: [MAIN, LAB] }, partner: { subnets: [MAIN, LAB], ha: 'elsewhere' } },
};

export interface KeaInstance {
  name: 'server1' | 'server2';
  host: string;
  port: number;
  /** The agent URL, e.g. http://127.0.0.1:8001/ */
  url: string;
  dir: string;
  /** Milliseconds from spawning both daemons until the agent answered status-get for dhcp4. */
  readyMs: number;
  dhcp4: Daemon;
  agent: Daemon;
}

export interface KeaPair {
  scenario: KeaScenario;
  dir: string;
  local: KeaInstance;
  partner: KeaInstance;
  /** The partner agent's basic-auth client, also written into server1's HA peer config. */
  credentials: { user: string; password: string };
  /** The third, never started, server that 'partner-paired-elsewhere' names. */
  elsewhereUrl: string;
  /** Commands the agent logged as received (CTRL_AGENT_COMMAND_RECEIVED), in order. */
  receivedCommands(which: Which): string[];
  /** Polls status-get until this server's HA state is `state`; resolves with the ms waited. */
  waitForHaState(which: Which, state: string, timeoutMs?: number): Promise<number>;
  /** Stops the dhcp4 daemon behind a live agent. */
  stopDhcp4(which: Which): Promise<void>;
  stop(): Promise<void>;
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface StartOptions {
  password?: string;
  /** Serve the local agent over HTTPS with these files (see makeTestCa). */
  localTls?: TlsFiles;
}

export async function startKeaPair(scenario: KeaScenario, opts: StartOptions = {}): Promise<KeaPair> {
  const spec = SCENARIOS[scenario];
  const dir = mkdtempSync(join(tmpdir(), 'kea-pair-'));
  const credentials = { user: 'kea', password: opts.password ?? `pw-${Math.random().toString(36).slice(2, 10)}-agent2` };
  const [port1, port2, port3] = await Promise.all([freePort('127.0.0.1'), freePort('127.0.0.2'), freePort('127.0.0.3')]);
  const tls = opts.localTls;
  const url1 = `${tls ? 'https' : 'http'}://127.0.0.1:${port1}/`;
  const url2 = `http://127.0.0.2:${port2}/`;
  const elsewhereUrl = `http://127.0.0.3:${port3}/`;

  const peers = {
    server1: { name: 'server1', url: url1, role: 'primary' },
    server2: { name: 'server2', url: url2, role: 'standby', 'basic-auth-user': credentials.user, 'basic-auth-password': credentials.password },
    server3: { name: 'server3', url: elsewhereUrl, role: 'primary' },
  };
  const haFor = (self: 'server1' | 'server2', ha: ServerSpec['ha']) =>
    ha === 'pair' ? [peers.server1, peers.server2] : ha === 'elsewhere' ? [peers.server3, peers[self]] : undefined;

  const servers = [
    { name: 'server1' as const, host: '127.0.0.1', port: port1, url: url1, spec: spec.local, auth: false, tls },
    { name: 'server2' as const, host: '127.0.0.2', port: port2, url: url2, spec: spec.partner, auth: true, tls: undefined },
  ];
  const children: Daemon[] = [];
  const stopChild = (d: Daemon) => d.stop({ graceMs: 2000 });

  const stop = async () => {
    await Promise.all(children.map(stopChild));
    if (!process.env.KEEP_KEA_DIR) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const started = performance.now();
    const instances: ((typeof servers)[number] & { dir: string; dhcp4: Daemon; agent: Daemon })[] = [];
    for (const s of servers) {
      const d = join(dir, s.name);
      mkdirSync(d);
      const peerList = haFor(s.name, s.spec.ha);
      writeFileSync(join(d, 'dhcp4.json'), JSON.stringify(dhcp4Config(d, s.name, s.spec.subnets, peerList), null, 2));
      writeFileSync(join(d, 'ca.json'), JSON.stringify(agentConfig(d, s.host, s.port, s.auth ? credentials : undefined, s.tls), null, 2));
      const env = { ...process.env, KEA_PIDFILE_DIR: d, KEA_LOCKFILE_DIR: d };
      const dhcp4 = await launch(`kea-dhcp4 ${s.name}`, 'kea-dhcp4', ['-c', join(d, 'dhcp4.json')], env, join(d, 'dhcp4.out'), join(d, 'dhcp4.log'));
      children.push(dhcp4);
      const agent = await launch(`kea-ctrl-agent ${s.name}`, 'kea-ctrl-agent', ['-c', join(d, 'ca.json')], env, join(d, 'agent.out'), join(d, 'agent.log'));
      children.push(agent);
      instances.push({ ...s, dir: d, dhcp4, agent });
    }

    const ready = await Promise.all(
      instances.map(async (i) => {
        const auth = i.auth ? credentials : undefined;
        await waitReady([i.dhcp4, i.agent], async () => (await statusGet(i.url, auth, i.tls?.caFile))?.result === 0, {
          what: `Kea ${i.name} (${i.url}) to answer status-get`,
          withinMs: READY_WITHIN_MS,
        });
        return performance.now() - started;
      }),
    );

    const [i1, i2] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const local: KeaInstance = { name: i1.name, host: i1.host, port: i1.port, url: i1.url, dir: i1.dir, readyMs: ready[0]!, dhcp4: i1.dhcp4, agent: i1.agent };
    const partner: KeaInstance = {
      name: i2.name,
      host: i2.host,
      port: i2.port,
      url: i2.url,
      dir: i2.dir,
      readyMs: ready[1]!,
      dhcp4: i2.dhcp4,
      agent: i2.agent,
    };
    const pick = (w: Which) => (w === 'local' ? local : partner);
    const authOf = (w: Which) => (w === 'partner' ? credentials : undefined);

    return {
      scenario,
      dir,
      local,
      partner,
      credentials,
      elsewhereUrl,
      receivedCommands: (w) => {
        const log = join(pick(w).dir, 'agent.log');
        if (!existsSync(log)) return [];
        return [...readFileSync(log, 'utf8').matchAll(/CTRL_AGENT_COMMAND_RECEIVED command (\S+) received/g)].map((m) => m[1]!);
      },
      waitForHaState: (w, state, timeoutMs = 15000) =>
        waitReady(
          [pick(w).dhcp4, pick(w).agent],
          async () => {
            const reply = await statusGet(pick(w).url, authOf(w), w === 'local' ? tls?.caFile : undefined);
            const now = haState(reply?.arguments) ?? 'none';
            return now === state || `HA state ${now}`;
          },
          // A failed wait leaves the servers to the test's own stop().
          { what: `Kea ${pick(w).name} to reach HA state ${state}`, withinMs: timeoutMs, stopOnFailure: false },
        ),
      stopDhcp4: (w) => stopChild(pick(w).dhcp4),
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

function dhcp4Config(d: string, name: string, subnets: SubnetSpec[], peers: object[] | undefined): object {
  const subnet = (s: SubnetSpec) => ({ id: s.id, subnet: s.subnet, pools: [{ pool: s.pool }] });
  const shared = new Map<string, SubnetSpec[]>();
  for (const s of subnets) if (s.sharedNetwork) shared.set(s.sharedNetwork, [...(shared.get(s.sharedNetwork) ?? []), s]);
  const hooks = peers
    ? [
        { library: `${HOOKS}/libdhcp_lease_cmds.so` },
        {
          library: `${HOOKS}/libdhcp_ha.so`,
          parameters: {
            'high-availability': [
              {
                'this-server-name': name,
                mode: 'hot-standby',
                'heartbeat-delay': 1000,
                'max-response-delay': 5000,
                'max-ack-delay': 5000,
                'max-unacked-clients': 5,
                peers,
              },
            ],
          },
        },
      ]
    : [];
  return {
    Dhcp4: {
      'interfaces-config': { interfaces: [] },
      'control-socket': { 'socket-type': 'unix', 'socket-name': join(d, 'kea4.sock') },
      'lease-database': { type: 'memfile', persist: true, name: join(d, 'leases4.csv'), 'lfc-interval': 0 },
      'hooks-libraries': hooks,
      subnet4: subnets.filter((s) => !s.sharedNetwork).map(subnet),
      'shared-networks': [...shared].map(([n, list]) => ({ name: n, subnet4: list.map(subnet) })),
      loggers: [{ name: 'kea-dhcp4', severity: 'INFO', output_options: [{ output: join(d, 'dhcp4.log') }] }],
    },
  };
}

function agentConfig(d: string, host: string, port: number, auth: { user: string; password: string } | undefined, tls: TlsFiles | undefined): object {
  return {
    'Control-agent': {
      'http-host': host,
      'http-port': port,
      ...(tls ? { 'trust-anchor': tls.caFile, 'cert-file': tls.certFile, 'key-file': tls.keyFile, 'cert-required': false } : {}),
      'control-sockets': { dhcp4: { 'socket-type': 'unix', 'socket-name': join(d, 'kea4.sock') } },
      ...(auth ? { authentication: { type: 'basic', realm: 'kea-control-agent', clients: [auth] } } : {}),
      // INFO logs CTRL_AGENT_COMMAND_RECEIVED for every command: the record of what we sent.
      loggers: [{ name: 'kea-ctrl-agent', severity: 'INFO', output_options: [{ output: join(d, 'agent.log') }] }],
    },
  };
}

function launch(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv, outFile: string, logFile: string): Promise<Daemon> {
  return startDaemon({
    name,
    command: bin,
    args,
    env,
    outputFile: outFile,
    logFiles: [logFile],
    graceMs: 2000,
    hint: 'install kea-dhcp4-server and kea-ctrl-agent',
  });
}

interface RawEntry {
  result: number;
  text?: string;
  arguments?: Record<string, unknown>;
}

/** The harness's own client (independent of the code under test): status-get for dhcp4. */
async function statusGet(url: string, auth?: { user: string; password: string }, caFile?: string): Promise<RawEntry | undefined> {
  const { status, body } = await rawPost(url, { command: 'status-get', service: ['dhcp4'] }, auth, 1000, caFile);
  if (status !== 200) return undefined;
  const list = JSON.parse(body) as RawEntry[];
  return list[0];
}

function haState(args: Record<string, unknown> | undefined): string | undefined {
  const ha = args?.['high-availability'] as { 'ha-servers'?: { local?: { state?: string } } }[] | undefined;
  return ha?.[0]?.['ha-servers']?.local?.state;
}

/** POST a JSON body to an agent and return the raw reply; for harness and test assertions only. */
export function rawPost(
  url: string,
  body: object,
  auth?: { user: string; password: string },
  timeoutMs = 1000,
  caFile?: string,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const https = url.startsWith('https:');
    const options: RequestOptions & { ca?: Buffer } = {
      method: 'POST',
      agent: false,
      timeout: timeoutMs,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...(auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {}),
      },
      ...(https && caFile ? { ca: readFileSync(caFile) } : {}),
    };
    const req = https ? httpsRequest(url, options) : httpRequest(url, options);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.end(text);
  });
}

/** A port nothing listens on right now, on the given loopback address. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RecordingProxy {
  url: string;
  /** The `command` of every request that passed through, in order. */
  commands: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy of our own in front of one agent: records the command of every request we send,
 * so a test can prove only allow-listed commands left the client even while HA peers talk to the
 * same agent.
 */
export async function startRecordingProxy(target: string, host = '127.0.0.2'): Promise<RecordingProxy> {
  const commands: string[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { command?: unknown };
        commands.push(typeof parsed.command === 'string' ? parsed.command : '(no command)');
      } catch {
        commands.push('(not JSON)');
      }
      const upstream = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers, agent: false }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}/`,
    commands,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A private CA and a server certificate for 127.0.0.1 (openssl CLI), for HTTPS agent tests. */
export function makeTestCa(dir: string): TlsFiles {
  const f = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=dhcp-failover-check test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('agent.key'), '-out', f('agent.csr')]);
  writeFileSync(
    f('ext.cnf'),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    f('agent.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('agent.pem'),
  ]);
  return { caFile: f('ca.pem'), certFile: f('agent.pem'), keyFile: f('agent.key') };
}
