import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, waitReady, type Daemon } from './daemon.js';
import { freePort } from './kea.js';

// Real Kea servers of a chosen release on loopback: 2.2 from the host (Debian 12's package), 2.6 and
// 3.0 from the debootstrap chroots test/helpers/build-kea-chroots.sh builds (see
// /work/shared/recipes/REAL-SERVERS.md). A chroot shares the network namespace, so every server
// binds a 127.0.0.x address as the host's would. The caller writes the Dhcp4 object that matters to
// a test (subnets, hooks, HA); the harness owns what differs per release: control channel, lease
// file, loggers, and the paths 2.6.3+/3.0 accept. A server that does not come up is an error
// carrying its log, never a skip.

export type KeaVersion = '2.2' | '2.6' | '3.0';
/** 'agent': kea-ctrl-agent in front of a unix socket (2.2, 2.6); 'http': kea-dhcp4's own HTTP socket (3.0). */
export type KeaControl = 'agent' | 'http';
export type PairName = 'server1' | 'server2';
export type Dhcp4Config = Record<string, unknown>;

export interface KeaAuth {
  user: string;
  password: string;
}

export interface KeaServerSpec {
  name: string;
  /** A loopback address, 127.0.0.x. */
  host: string;
  /** The Dhcp4 map without control-socket(s), lease-database or loggers; hook libraries may be bare file names. */
  dhcp4: Dhcp4Config;
  /** Default: 'agent' on 2.2/2.6, 'http' on 3.0 (the only one there: the sid chroot has no agent). */
  control?: KeaControl;
  /** Port of the agent / HTTP control socket; default a free one. On 2.2 it is also the HA peer URL's. */
  controlPort?: number;
  /** Basic auth on the control channel. */
  auth?: KeaAuth;
  /** libfaketime's FAKETIME for this server's processes, e.g. '+90' (seconds ahead). */
  faketime?: string;
  /** Informational: the URL peers use for HA with this server (carried to KeaServer.haUrl). */
  haUrl?: string;
}

export interface StartKeaOptions {
  version: KeaVersion;
  servers: KeaServerSpec[];
  /** How long each server gets to answer status-get (default 10 s). */
  readyTimeoutMs?: number;
}

export interface KeaReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text (capped at MAX_REPLY_BYTES). */
  text: string;
  /** The body parsed as JSON, undefined when it is not JSON. */
  json: unknown;
}

export interface KeaCommandOptions {
  /** The `service` list to send; default ['dhcp4'] through an agent, none to 3.0's HTTP socket; null: omit. */
  service?: string[] | null;
  /** Overrides the server's credentials; null sends none. */
  auth?: KeaAuth | null;
  timeoutMs?: number;
}

export interface KeaServer {
  readonly name: string;
  readonly host: string;
  readonly version: KeaVersion;
  readonly control: KeaControl;
  /** Where management commands go: the agent (2.2, 2.6) or kea-dhcp4's HTTP socket (3.0). */
  readonly controlUrl: string;
  readonly haUrl: string | undefined;
  readonly auth: KeaAuth | undefined;
  /** kea-dhcp4's own PID (chroot and env exec), and the agent's when there is one. */
  readonly pids: { dhcp4: number; agent?: number };
  /** Host path of this instance's folder: configs and the daemons' output. */
  readonly dir: string;
  /** The chroot this server runs in ('/' for 2.2). */
  readonly root: string;
  /** The Dhcp4 configuration as written, after the harness filled it. */
  readonly config: { Dhcp4: Dhcp4Config };
  /** Milliseconds from spawning until kea-dhcp4 logged DHCP4_STARTED and status-get answered with result 0. */
  readonly readyMs: number;
  /** Commands kea-dhcp4 logged as received (COMMAND_RECEIVED), in order, HA traffic included. */
  receivedCommands(): string[];
  /** Commands the agent logged (CTRL_AGENT_COMMAND_RECEIVED); empty without an agent. */
  agentCommands(): string[];
  /** kea-dhcp4's output (and the agent's, after a separator). */
  log(): string;
  command(command: string, args?: Record<string, unknown>, opts?: KeaCommandOptions): Promise<KeaReply>;
  /** POSTs any JSON body to the control URL (with the server's credentials unless told otherwise). */
  post(body: unknown, opts?: Omit<KeaCommandOptions, 'service'>): Promise<KeaReply>;
  /** The HA state of every relationship (high-availability[].ha-servers.local.state), from status-get. */
  haStates(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface KeaServers {
  readonly version: KeaVersion;
  readonly servers: KeaServer[];
  server(name: string): KeaServer;
  /** Polls until every HA relationship of `name` is in `state`; resolves with the ms waited. */
  waitForHaState(name: string, state: string, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export const KEA_HOOKS_DIR = '/usr/lib/x86_64-linux-gnu/kea/hooks';
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const MAX_REPLY_BYTES = 4 * 1024 * 1024;
const HARNESS_KEYS = ['control-socket', 'control-sockets', 'lease-database', 'loggers'];

/** The chroot of a release ('/' for 2.2, which runs from the host). */
export function keaRoot(version: KeaVersion): string {
  if (version === '2.2') return '/';
  return join(process.env.KEA_CHROOT_DIR ?? '/var/cache/dhcp-failover-check', `kea-${version}`);
}

let instanceCounter = 0;

interface Paths {
  /** Instance id, unique per process and server: prefixes every file in the shared chroot folders. */
  id: string;
  /** The instance folder as the host sees it, and as Kea sees it. */
  hostDir: string;
  innerDir: string;
  socket: string;
  leaseFile: string;
  /** Files outside hostDir to remove at stop (host paths). */
  extra: string[];
}

function pathsFor(version: KeaVersion, name: string): Paths {
  const id = `dfc${process.pid}-${++instanceCounter}-${name.replace(/[^A-Za-z0-9-]/g, '')}`.slice(0, 60);
  if (version === '2.2') {
    const hostDir = mkdtempSync(join(tmpdir(), `kea22-${name.replace(/[^A-Za-z0-9-]/g, '')}-`));
    return { id, hostDir, innerDir: hostDir, socket: join(hostDir, 'kea4.sock'), leaseFile: join(hostDir, 'leases4.csv'), extra: [] };
  }
  const root = keaRoot(version);
  const marker = join(root, '.complete');
  if (!existsSync(marker)) {
    throw new Error(`Kea ${version} chroot ${root} is not built (no ${marker}): run test/helpers/build-kea-chroots.sh as root`);
  }
  // 2.6.3+/3.0 accept sockets only directly in /run/kea (mode 750) and lease files only directly in
  // /var/lib/kea: no subdirectories, so the instance id goes into the file names.
  mkdirSync(join(root, 'run/kea'), { recursive: true });
  chmodSync(join(root, 'run/kea'), 0o750);
  mkdirSync(join(root, 'var/lib/kea'), { recursive: true });
  const innerDir = `/tmp/${id}`;
  const hostDir = join(root, innerDir);
  rmSync(hostDir, { recursive: true, force: true });
  mkdirSync(hostDir, { recursive: true });
  const socket = `/run/kea/${id}-kea4.sock`;
  const leaseFile = `/var/lib/kea/${id}-leases4.csv`;
  return { id, hostDir, innerDir, socket, leaseFile, extra: [join(root, socket), join(root, leaseFile), join(root, `${leaseFile}.2`)] };
}

function defaultControl(version: KeaVersion): KeaControl {
  return version === '3.0' ? 'http' : 'agent';
}

function resolveHooks(hooks: unknown): unknown {
  if (!Array.isArray(hooks)) return hooks;
  return hooks.map((h: unknown) => {
    if (typeof h !== 'object' || h === null) return h;
    const lib = (h as { library?: unknown }).library;
    return typeof lib === 'string' && !lib.includes('/') ? { ...h, library: `${KEA_HOOKS_DIR}/${lib}` } : h;
  });
}

const STDOUT_LOGGER = (name: string) => [{ name, severity: 'INFO', output_options: [{ output: 'stdout' }] }];

function dhcp4ConfigFor(version: KeaVersion, spec: KeaServerSpec, control: KeaControl, port: number, p: Paths): { Dhcp4: Dhcp4Config } {
  for (const k of HARNESS_KEYS) {
    if (k in spec.dhcp4) throw new Error(`kea-multi: ${spec.name}'s dhcp4 must not set "${k}": the harness fills it for Kea ${version}`);
  }
  const d: Dhcp4Config = structuredClone(spec.dhcp4);
  d['interfaces-config'] ??= { interfaces: [] };
  if ('hooks-libraries' in d) d['hooks-libraries'] = resolveHooks(d['hooks-libraries']);
  if (control === 'http') {
    d['control-sockets'] = [
      {
        'socket-type': 'http',
        'socket-address': spec.host,
        'socket-port': port,
        ...(spec.auth ? { authentication: { type: 'basic', realm: 'kea', clients: [spec.auth] } } : {}),
      },
    ];
  } else if (version === '3.0') {
    d['control-sockets'] = [{ 'socket-type': 'unix', 'socket-name': p.socket }];
  } else {
    d['control-socket'] = { 'socket-type': 'unix', 'socket-name': p.socket };
  }
  d['lease-database'] = { type: 'memfile', persist: true, name: p.leaseFile, 'lfc-interval': 0 };
  // stdout: allowed by every release's path rules, and per instance without a shared log folder.
  d.loggers = STDOUT_LOGGER('kea-dhcp4');
  return { Dhcp4: d };
}

function agentConfigFor(spec: KeaServerSpec, port: number, p: Paths): object {
  return {
    'Control-agent': {
      'http-host': spec.host,
      'http-port': port,
      'control-sockets': { dhcp4: { 'socket-type': 'unix', 'socket-name': p.socket } },
      ...(spec.auth ? { authentication: { type: 'basic', realm: 'kea-control-agent', clients: [spec.auth] } } : {}),
      loggers: STDOUT_LOGGER('kea-ctrl-agent'),
    },
  };
}

function launch(version: KeaVersion, name: string, bin: string, config: string, p: Paths, faketime: string | undefined, outFile: string): Promise<Daemon> {
  const env: Record<string, string> = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    KEA_PIDFILE_DIR: p.innerDir,
    KEA_LOCKFILE_DIR: p.innerDir,
    ...(faketime ? { LD_PRELOAD: FAKETIME_LIB, FAKETIME: faketime, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {}),
  };
  // chroot and env both exec, so the child's PID is the daemon's own.
  const [cmd, args] =
    version === '2.2'
      ? [bin, ['-c', config]]
      : ['chroot', [keaRoot(version), '/usr/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), bin, '-c', config]];
  return startDaemon({
    name: `${bin} ${name} (Kea ${version})`,
    command: cmd as string,
    args: args as string[],
    env: version === '2.2' ? env : { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' },
    outputFile: outFile,
    graceMs: 3000,
  });
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function commandsIn(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) => m[1]!);
}

/** The harness's own HTTP client: a timeout and a size cap on every request. */
export function postJson(url: string, body: unknown, auth: KeaAuth | undefined, timeoutMs = 2000): Promise<KeaReply> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpRequest(url, {
      method: 'POST',
      agent: false,
      timeout: timeoutMs,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...(auth ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {}),
      },
    });
    req.on('timeout', () => req.destroy(new Error(`no reply from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_REPLY_BYTES) req.destroy(new Error(`reply from ${url} exceeds ${MAX_REPLY_BYTES} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        const t = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(t);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: t, json });
      });
      res.on('error', reject);
    });
    req.end(text);
  });
}

interface Entry {
  result?: number;
  text?: string;
  arguments?: Record<string, unknown>;
}

/** The first entry of a reply (a list through the agent and on 3.0; an object for HTTP-level errors). */
export function firstEntry(reply: KeaReply): Entry | undefined {
  const j = reply.json;
  const e = Array.isArray(j) ? (j[0] as unknown) : j;
  return typeof e === 'object' && e !== null ? (e as Entry) : undefined;
}

function haStatesOf(entry: Entry | undefined): string[] {
  const ha = entry?.arguments?.['high-availability'];
  if (!Array.isArray(ha)) return [];
  return ha.map((r: unknown) => {
    const s = (r as { 'ha-servers'?: { local?: { state?: unknown } } })['ha-servers']?.local?.state;
    return typeof s === 'string' ? s : 'unknown';
  });
}

interface Running {
  server: KeaServer;
  children: Daemon[];
}

/** Starts every server (all at once) and resolves when each has started and answers status-get; throws with the logs otherwise. */
export async function startKeaServers(opts: StartKeaOptions): Promise<KeaServers> {
  const { version } = opts;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 10000;
  const names = new Set<string>();
  for (const s of opts.servers) {
    if (names.has(s.name)) throw new Error(`kea-multi: two servers named ${s.name}`);
    names.add(s.name);
    if (!/^127\.\d+\.\d+\.\d+$/.test(s.host)) throw new Error(`kea-multi: ${s.name}'s host ${s.host} is not a loopback address`);
    const control = s.control ?? defaultControl(version);
    if (control === 'http' && version !== '3.0') throw new Error(`kea-multi: Kea ${version} has no HTTP control socket (use 'agent')`);
    if (control === 'agent' && version === '3.0') throw new Error("kea-multi: the Kea 3.0 chroot has no kea-ctrl-agent (use 'http')");
  }

  const running: Running[] = [];
  const started = performance.now();

  const stopAll = async () => {
    await Promise.all(running.map((r) => r.server.stop()));
  };

  try {
    for (const spec of opts.servers) running.push(await startOne(version, spec, started));
    const waits = await Promise.allSettled(
      running.map(async (r) => {
        const s = r.server as KeaServer & { readyMs: number };
        // Kea opens its control socket while it still applies the configuration (2.6 was seen
        // answering status-get just before refusing its HA hook and exiting): ready means the
        // daemon logged DHCP4_STARTED and answers.
        await waitReady(
          r.children,
          async () => /DHCP4_STARTED /.test(s.log()) && firstEntry(await s.command('status-get', undefined, { timeoutMs: 1000 }))?.result === 0,
          {
            what: `Kea ${version} ${s.name} (${s.controlUrl}) to start (DHCP4_STARTED logged and status-get answered)`,
            withinMs: readyTimeoutMs,
            tailLines: 80,
          },
        );
        (s as { readyMs: number }).readyMs = Math.round(performance.now() - started);
      }),
    );
    const failures = waits.flatMap((w) => (w.status === 'rejected' ? [w.reason instanceof Error ? w.reason.message : String(w.reason)] : []));
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }

  const byName = (name: string): KeaServer => {
    const s = running.find((r) => r.server.name === name)?.server;
    if (!s) throw new Error(`kea-multi: no server named ${name}`);
    return s;
  };
  return {
    version,
    servers: running.map((r) => r.server),
    server: byName,
    waitForHaState: async (name, state, timeoutMs = 20000) => {
      const s = byName(name);
      const children = running.find((r) => r.server === s)!.children;
      const waited = await waitReady(
        children,
        async () => {
          const last = await s.haStates();
          return (last.length > 0 && last.every((x) => x === state)) || `HA states ${last.join(', ') || 'none'}`;
        },
        // Every poll is a status-get in the server's log: keep the record readable. A failed wait
        // leaves the servers to the test's own stop().
        { what: `Kea ${version} ${name} to reach HA state ${state}`, withinMs: timeoutMs, everyMs: 200, stopOnFailure: false, tailLines: 80 },
      );
      return Math.round(waited);
    },
    stop: stopAll,
  };
}

async function startOne(version: KeaVersion, spec: KeaServerSpec, started: number): Promise<Running> {
  const control = spec.control ?? defaultControl(version);
  const port = spec.controlPort ?? (await freePort(spec.host));
  const p = pathsFor(version, spec.name);
  const config = dhcp4ConfigFor(version, spec, control, port, p);
  writeFileSync(join(p.hostDir, 'dhcp4.json'), JSON.stringify(config, null, 2));
  const dhcp4Out = join(p.hostDir, 'dhcp4.out');
  const agentOut = join(p.hostDir, 'agent.out');
  const children: Daemon[] = [];
  const removeFiles = () => {
    if (process.env.KEEP_KEA_DIR) return;
    rmSync(p.hostDir, { recursive: true, force: true });
    for (const f of p.extra) rmSync(f, { force: true });
  };
  try {
    children.push(await launch(version, spec.name, 'kea-dhcp4', join(p.innerDir, 'dhcp4.json'), p, spec.faketime, dhcp4Out));
    if (control === 'agent') {
      writeFileSync(join(p.hostDir, 'ca.json'), JSON.stringify(agentConfigFor(spec, port, p), null, 2));
      children.push(await launch(version, spec.name, 'kea-ctrl-agent', join(p.innerDir, 'ca.json'), p, spec.faketime, agentOut));
    }
  } catch (err) {
    // The command could not be run at all: nothing of this server may stay behind.
    for (const c of children) await c.stop();
    removeFiles();
    throw err;
  }
  const dhcp4 = children[0]!;
  const controlUrl = `http://${spec.host}:${port}/`;
  const log = () => {
    const a = control === 'agent' ? `\n--- kea-ctrl-agent ---\n${readText(agentOut)}` : '';
    return `--- kea-dhcp4 (${p.hostDir}) ---\n${readText(dhcp4Out)}${a}`;
  };
  let stopped: Promise<void> | undefined;
  const server: KeaServer = {
    name: spec.name,
    host: spec.host,
    version,
    control,
    controlUrl,
    haUrl: spec.haUrl,
    auth: spec.auth,
    pids: { dhcp4: dhcp4.pid, ...(children[1] ? { agent: children[1].pid } : {}) },
    dir: p.hostDir,
    root: keaRoot(version),
    config,
    readyMs: Math.round(performance.now() - started),
    receivedCommands: () => commandsIn(readText(dhcp4Out), /COMMAND_RECEIVED Received command '([^']+)'/g),
    agentCommands: () => commandsIn(readText(agentOut), /CTRL_AGENT_COMMAND_RECEIVED command (\S+) received/g),
    log,
    post: (body, o = {}) => postJson(controlUrl, body, o.auth === null ? undefined : (o.auth ?? spec.auth), o.timeoutMs),
    command: (command, args, o = {}) => {
      const service = o.service === undefined ? (control === 'agent' ? ['dhcp4'] : undefined) : (o.service ?? undefined);
      const body = { command, ...(service ? { service } : {}), ...(args ? { arguments: args } : {}) };
      return postJson(controlUrl, body, o.auth === null ? undefined : (o.auth ?? spec.auth), o.timeoutMs);
    },
    haStates: async () => haStatesOf(firstEntry(await server.command('status-get', undefined, { timeoutMs: 1000 }))),
    stop: () =>
      (stopped ??= (async () => {
        // The agent first: it never holds state the daemon needs, and the daemon then removes its socket.
        for (const c of [...children].reverse()) await c.stop();
        removeFiles();
      })()),
  };
  return { server, children };
}

// ---- a healthy hot-standby pair ----

export interface HotStandbyOptions {
  /** Basic auth on a server's control channel. On 2.2 the partner's HA peer entry carries it too (HA goes through the agent there). */
  auth?: Partial<Record<PairName, KeaAuth>>;
  faketime?: Partial<Record<PairName, string>>;
  subnets?: { id: number; subnet: string; pool: string }[];
  heartbeatDelayMs?: number;
}

export const PAIR_SUBNETS = [
  { id: 1, subnet: '10.99.0.0/24', pool: '10.99.0.100 - 10.99.0.200' },
  { id: 2, subnet: '10.99.1.0/24', pool: '10.99.1.0/25' },
];

async function distinctFreePorts(host: string, n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort(host));
  return [...ports];
}

/**
 * The two server specs of a healthy hot-standby pair (server1 primary on 127.0.0.1, server2 standby
 * on 127.0.0.2), ports chosen. Peer URLs: on 2.2 the agent's (HA goes through it); on 2.6/3.0 the HA
 * hook's dedicated listener (multi-threading is on by default there), on its own port — a 2.6
 * agent on the same port makes kea-dhcp4 fail with "Address already in use".
 */
export async function hotStandbyPairSpecs(version: KeaVersion, opts: HotStandbyOptions = {}): Promise<[KeaServerSpec, KeaServerSpec]> {
  const hosts: Record<PairName, string> = { server1: '127.0.0.1', server2: '127.0.0.2' };
  const ports = {} as Record<PairName, { control: number; ha: number }>;
  for (const n of ['server1', 'server2'] as const) {
    const [control, ha] = await distinctFreePorts(hosts[n], 2);
    ports[n] = { control: control!, ha: version === '2.2' ? control! : ha! };
  }
  const haUrl = (n: PairName) => `http://${hosts[n]}:${ports[n].ha}/`;
  const peer = (n: PairName, role: string) => {
    const a = opts.auth?.[n];
    return { name: n, url: haUrl(n), role, ...(version === '2.2' && a ? { 'basic-auth-user': a.user, 'basic-auth-password': a.password } : {}) };
  };
  const subnets = (opts.subnets ?? PAIR_SUBNETS).map((s) => ({ id: s.id, subnet: s.subnet, pools: [{ pool: s.pool }] }));
  const spec = (n: PairName): KeaServerSpec => ({
    name: n,
    host: hosts[n],
    controlPort: ports[n].control,
    haUrl: haUrl(n),
    ...(opts.auth?.[n] ? { auth: opts.auth[n] } : {}),
    ...(opts.faketime?.[n] ? { faketime: opts.faketime[n] } : {}),
    dhcp4: {
      'hooks-libraries': [
        { library: 'libdhcp_lease_cmds.so' },
        {
          library: 'libdhcp_ha.so',
          parameters: {
            'high-availability': [
              {
                'this-server-name': n,
                mode: 'hot-standby',
                'heartbeat-delay': opts.heartbeatDelayMs ?? 1000,
                'max-response-delay': 5000,
                'max-ack-delay': 5000,
                'max-unacked-clients': 5,
                peers: [peer('server1', 'primary'), peer('server2', 'standby')],
              },
            ],
          },
        },
      ],
      subnet4: subnets,
    },
  });
  return [spec('server1'), spec('server2')];
}

/** Starts a healthy hot-standby pair (see hotStandbyPairSpecs); it still has to reach hot-standby (waitForHaState). */
export async function healthyHotStandbyPair(version: KeaVersion, opts: HotStandbyOptions = {}): Promise<KeaServers> {
  return startKeaServers({ version, servers: await hotStandbyPairSpecs(version, opts) });
}

/** Host paths this process left in the chroots' shared folders (for a test that checks cleanup). */
export function leftoverFiles(version: KeaVersion): string[] {
  if (version === '2.2') return [];
  const root = keaRoot(version);
  const mine = `dfc${process.pid}-`;
  return ['tmp', 'run/kea', 'var/lib/kea'].flatMap((d) =>
    existsSync(join(root, d))
      ? readdirSync(join(root, d))
          .filter((f) => f.startsWith(mine))
          .map((f) => join(root, d, f))
      : [],
  );
}
