import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon, type Daemon } from './daemon.js';
import type { DriverAnswer, DriverRequest } from './omapi-driver.js';

// A real ISC dhcpd 4.4 failover pair (/work/shared/recipes/REAL-SERVERS.md, "ISC dhcpd 4.4
// failover pair"). dhcpd refuses `lo`, so both daemons run in a private network namespace on an
// empty bridge; their failover (647/847) and OMAPI (7911/7912) ports exist only in there, so
// fixed ports are safe and anything talking to them must run inside too (runInNamespace). A
// daemon that does not come up is an error with its log, never a skip.

export type Side = 'primary' | 'secondary';

export const PEER_NAME = 'dhcp-failover';
export const SIDES: Record<Side, { address: string; failoverPort: number; omapiPort: number; dhcpPort: number }> = {
  primary: { address: '127.0.0.1', failoverPort: 647, omapiPort: 7911, dhcpPort: 10067 },
  secondary: { address: '127.0.0.2', failoverPort: 847, omapiPort: 7912, dhcpPort: 10068 },
};
const BRIDGE = 'dhcpbr0';
const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'omapi-driver.js');

export interface PairKey {
  name: string;
  /** As written in dhcpd.conf; default hmac-md5. */
  algorithm?: string;
  secret: Buffer;
  /** Which daemons require it (omapi-key); default both. */
  on?: Side | 'both';
}

export interface PairOptions {
  peerName?: string;
  key?: PairKey;
  /** Appended to the generated conf of that side. */
  extra?: Partial<Record<Side, string>>;
  /** Replaces the generated conf of that side entirely. */
  conf?: Partial<Record<Side, string>>;
}

export interface DhcpdDaemon {
  side: Side;
  address: string;
  failoverPort: number;
  omapiPort: number;
  dir: string;
  confPath: string;
  leasesPath: string;
  logPath: string;
  /** dhcpd's own PID (nsenter execs it). */
  pid: number;
  daemon: Daemon;
  /** Everything dhcpd has logged so far (-d: to stderr). */
  log(): string;
  running(): boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DhcpdPair {
  netns: string;
  dir: string;
  peerName: string;
  primary: DhcpdDaemon;
  secondary: DhcpdDaemon;
  /** performance.now() when the daemons were spawned. */
  startedAt: number;
  /** Polls both over OMAPI until both read normal/normal; resolves with ms since spawn. */
  waitNormal(timeoutMs?: number): Promise<number>;
  /** Runs the OMAPI driver inside the namespace (see omapi-driver.ts); `output` is all it printed. */
  omapi(
    req: Omit<DriverRequest, 'peerName' | 'timeoutMs'> & Partial<Pick<DriverRequest, 'peerName' | 'timeoutMs'>>,
    boundMs?: number,
  ): Promise<DriverAnswer & { output: string }>;
  /** Stops one daemon by its PID; resolves once it has exited. */
  stop(side: Side, signal?: NodeJS.Signals): Promise<void>;
  /** Kills both daemons and removes the namespace and the folder. */
  stopAll(): Promise<void>;
  /** Runs a command inside the namespace, bounded; stdin gets `input`. */
  run(command: string, args: string[], opts?: RunOptions): Promise<RunResult>;
}

function keyBlock(key: PairKey): string {
  return `key ${key.name} { algorithm ${key.algorithm ?? 'hmac-md5'}; secret "${key.secret.toString('base64')}"; };\nomapi-key ${key.name};\n`;
}

export function pairConf(side: Side, opts: PairOptions = {}): string {
  const me = SIDES[side];
  const other = SIDES[side === 'primary' ? 'secondary' : 'primary'];
  const peer = opts.peerName ?? PEER_NAME;
  const key = opts.key && (opts.key.on ?? 'both') !== (side === 'primary' ? 'secondary' : 'primary') ? keyBlock(opts.key) : '';
  const primaryOnly = side === 'primary' ? '  mclt 600;\n  split 128;\n' : '';
  return (
    `authoritative;\nddns-update-style none;\nomapi-port ${me.omapiPort};\n${key}` +
    `failover peer "${peer}" {\n  ${side};\n  address ${me.address};\n  port ${me.failoverPort};\n` +
    `  peer address ${other.address};\n  peer port ${other.failoverPort};\n  max-response-delay 60;\n` +
    `  max-unacked-updates 10;\n${primaryOnly}  load balance max seconds 3;\n}\n` +
    `subnet 127.0.0.0 netmask 255.0.0.0 { }\n` +
    `subnet 10.99.0.0 netmask 255.255.255.0 {\n  pool {\n    failover peer "${peer}";\n    range 10.99.0.100 10.99.0.200;\n  }\n}\n` +
    (opts.extra?.[side] ?? '')
  );
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Kills the command (SIGKILL) when it fires. */
  signal?: AbortSignal;
}

export function runInNamespace(netns: string, command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netns}`, command, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.signal ? { signal: opts.signal, killSignal: 'SIGKILL' as const } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const cap = (list: Buffer[]) => (c: Buffer) => {
      size += c.length;
      if (size <= 4 * 1024 * 1024) list.push(c);
    };
    child.stdout.on('data', cap(out));
    child.stderr.on('data', cap(err));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', (e) => {
      // An abort also ends in 'close', which reports it; only a failed spawn is an error.
      if ((e as NodeJS.ErrnoException).code === 'ABORT_ERR') return;
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The namespace of the recipe: loopback up, an empty bridge with 127.1.0.1/16. */
function createNamespace(dir: string): string {
  const netns = join(dir, 'netns');
  writeFileSync(netns, '');
  execFileSync('unshare', [`--net=${netns}`, 'true']);
  const ns = (...args: string[]) => execFileSync('nsenter', [`--net=${netns}`, ...args], { stdio: 'pipe' });
  try {
    ns('ip', 'link', 'set', 'lo', 'up');
    ns('ip', 'link', 'add', BRIDGE, 'type', 'bridge');
    ns('ip', 'addr', 'add', '127.1.0.1/16', 'dev', BRIDGE);
    ns('ip', 'link', 'set', BRIDGE, 'up');
  } catch (err) {
    removeNamespace(netns);
    throw new Error(`could not build the dhcpd network namespace: ${(err as Error).message}`);
  }
  return netns;
}

function removeNamespace(netns: string): void {
  try {
    execFileSync('umount', [netns], { stdio: 'pipe' });
  } catch {
    // already gone
  }
}

async function startDhcpd(netns: string, root: string, side: Side, conf: string): Promise<DhcpdDaemon> {
  const dir = join(root, side);
  execFileSync('mkdir', ['-p', dir]);
  const confPath = join(dir, 'dhcpd.conf');
  const leasesPath = join(dir, 'dhcpd.leases');
  const logPath = join(dir, 'dhcpd.log');
  writeFileSync(confPath, conf, { mode: 0o600 });
  writeFileSync(leasesPath, '');
  const me = SIDES[side];
  const daemon = await startDaemon({
    name: `dhcpd (${side})`,
    command: 'nsenter',
    args: [`--net=${netns}`, 'dhcpd', '-4', '-f', '-d', '-p', String(me.dhcpPort), '-cf', confPath, '-lf', leasesPath, '-pf', join(dir, 'dhcpd.pid'), BRIDGE],
    outputFile: logPath,
    graceMs: 5000,
  });
  return {
    side,
    address: me.address,
    failoverPort: me.failoverPort,
    omapiPort: me.omapiPort,
    dir,
    confPath,
    leasesPath,
    logPath,
    pid: daemon.pid,
    daemon,
    log: () => readFileSync(logPath, 'utf8'),
    running: () => daemon.running(),
  };
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export async function startDhcpdPair(opts: PairOptions = {}): Promise<DhcpdPair> {
  const dir = mkdtempSync(join(tmpdir(), 'dhcpd-pair-'));
  const netns = createNamespace(dir);
  const peerName = opts.peerName ?? PEER_NAME;
  const startedAt = performance.now();
  const daemons: DhcpdDaemon[] = [];
  try {
    for (const side of ['primary', 'secondary'] as const) daemons.push(await startDhcpd(netns, dir, side, opts.conf?.[side] ?? pairConf(side, opts)));
  } catch (err) {
    await Promise.all(daemons.map((d) => d.daemon.stop({ signal: 'SIGKILL' })));
    removeNamespace(netns);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const [primary, secondary] = daemons as [DhcpdDaemon, DhcpdDaemon];

  const run = (command: string, args: string[], o?: RunOptions) => runInNamespace(netns, command, args, o);

  const driver = async (req: Parameters<DhcpdPair['omapi']>[0], boundMs: number, signal?: AbortSignal) => {
    const full: DriverRequest = { peerName, timeoutMs: 2000, ...req };
    const r = await run(process.execPath, [DRIVER], { input: JSON.stringify(full), timeoutMs: boundMs, ...(signal ? { signal } : {}) });
    if (signal?.aborted) return undefined;
    if (r.code !== 0) throw new Error(`the OMAPI driver failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    return { ...(JSON.parse(r.stdout) as DriverAnswer), output: r.stdout + r.stderr };
  };
  const omapi: DhcpdPair['omapi'] = async (req, boundMs = 30_000) => {
    const answer = await driver(req, boundMs);
    if (!answer) throw new Error('the OMAPI driver was interrupted');
    return answer;
  };
  const died = () => daemons.find((d) => !d.running());
  const diedError = (d: DhcpdDaemon) => new Error(`dhcpd (${d.side}) exited (${d.daemon.child.exitCode ?? d.daemon.child.signalCode}):\n${d.daemon.tail()}`);

  const target = (d: DhcpdDaemon) => ({ host: d.address, port: d.omapiPort });
  const key = opts.key ? { name: opts.key.name, algorithm: opts.key.algorithm ?? 'hmac-md5', secretBase64: opts.key.secret.toString('base64') } : undefined;

  const pair: DhcpdPair = {
    netns,
    dir,
    peerName,
    primary,
    secondary,
    startedAt,
    async waitNormal(timeoutMs = 20_000) {
      const left = timeoutMs - (performance.now() - startedAt);
      // A daemon that exits (a conf it refuses) ends the wait at once, with its log.
      const ac = new AbortController();
      let waiting = true;
      for (const d of daemons) void d.daemon.exited.then(() => waiting && ac.abort());
      let answer: Awaited<ReturnType<typeof driver>>;
      try {
        const early = died();
        if (early) throw diedError(early);
        answer = await driver(
          {
            targets: [target(primary), target(secondary)],
            ...(key ? { key } : {}),
            poll: { localState: 'normal', partnerState: 'normal', withinMs: Math.max(0, left), everyMs: 100 },
          },
          timeoutMs + 10_000,
          ac.signal,
        );
      } finally {
        waiting = false;
      }
      const dead = died();
      if (dead || !answer) throw diedError(dead ?? primary);
      for (const d of daemons) if (comm(d.pid) !== 'dhcpd') throw new Error(`PID ${d.pid} is "${comm(d.pid)}", not dhcpd`);
      if (answer.matchedAfterMs === undefined) {
        throw new Error(
          `the pair did not reach normal within ${timeoutMs} ms: ${JSON.stringify(answer.results.map((r) => (r.ok ? [r.state.localStateName, r.state.partnerStateName] : r.message)))}\n` +
            `primary:\n${primary.log().slice(-2000)}\nsecondary:\n${secondary.log().slice(-2000)}`,
        );
      }
      return performance.now() - startedAt;
    },
    omapi,
    async stop(side, signal = 'SIGTERM') {
      await (side === 'primary' ? primary : secondary).daemon.stop({ signal });
    },
    async stopAll() {
      await Promise.all(daemons.map((d) => d.daemon.stop({ signal: 'SIGKILL' })));
      removeNamespace(netns);
      rmSync(dir, { recursive: true, force: true });
    },
    run,
  };
  return pair;
}
