import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDaemon, waitReady } from './daemon.js';
import { freePort } from './kea.js';

const run = promisify(execFile);

/**
 * A real Samba smbd (file server only, standalone, no shares) on a loopback address and a free
 * port, optionally with its clock shifted by libfaketime: a stand-in for a Windows member server
 * whose clock only SMB2 NEGOTIATE reveals (recipe: /work/shared/recipes/REAL-SERVERS.md, "A
 * Windows-like clock over SMB2"). The Samba AD DC of other tests keeps 445 on 127.0.0.1.
 */

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const READY_WITHIN_MS = 10_000;
const POLL_MS = 50;
const STOP_WITHIN_MS = 5000;

export interface SmbdOptions {
  /** libfaketime relative shift, e.g. "+300", "+20s", "-5m". Absent: the real clock, no libfaketime. */
  shift?: string;
  /** Default 127.0.0.2. Must lie in 127.0.0.0/8 (smbd binds it as `<address>/8`). */
  address?: string;
  /** Default: a free port on that address. */
  port?: number;
}

export interface Smbd {
  host: string;
  port: number;
  /** smbd's own PID (checked against its pid file), not a wrapper's. */
  pid: number;
  dir: string;
  /** Milliseconds from spawn to the first accepted TCP connection. */
  readyMs: number;
  stop(): Promise<void>;
}

function accepts(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      sock.removeAllListeners();
      sock.on('error', () => {});
      sock.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no TCP accept within ${timeoutMs} ms`), timeoutMs);
    sock.once('connect', () => done(undefined));
    sock.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** Inode of the TCP socket listening on host:port, from /proc/net/tcp (addresses in host byte order). */
async function listenerInode(host: string, port: number): Promise<string | undefined> {
  const [a, b, c, d] = host.split('.').map(Number) as [number, number, number, number];
  const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
  const local = `${hex(d, 2)}${hex(c, 2)}${hex(b, 2)}${hex(a, 2)}:${hex(port, 4)}`;
  const rows = (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1);
  for (const row of rows) {
    const f = row.trim().split(/\s+/);
    if (f[1] === local && f[3] === '0A') return f[9]; // 0A = LISTEN
  }
  return undefined;
}

async function holdsSocket(pid: number, inode: string): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === `socket:[${inode}]`) return true;
  }
  return false;
}

export async function startSmbd(opts: SmbdOptions = {}): Promise<Smbd> {
  const host = opts.address ?? '127.0.0.2';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`smbd test address ${host} is not in 127.0.0.0/8`);
  const port = opts.port ?? (await freePort(host));
  const dir = await mkdtemp(join(tmpdir(), 'smbd-test-'));
  const sub = (name: string) => join(dir, name);
  for (const name of ['run', 'lock', 'state', 'cache', 'log', 'private']) await mkdir(sub(name));
  const conf = sub('smb.conf');
  // Every path inside dir: this smbd must share no state with the system's or the AD DC's Samba.
  await writeFile(
    conf,
    [
      '[global]',
      'server role = standalone server',
      `interfaces = ${host}/8`,
      'bind interfaces only = yes',
      `smb ports = ${port}`,
      'disable netbios = yes',
      `pid directory = ${sub('run')}`,
      `lock directory = ${sub('lock')}`,
      `state directory = ${sub('state')}`,
      `cache directory = ${sub('cache')}`,
      `private dir = ${sub('private')}`,
      `log file = ${join(sub('log'), 'log.%m')}`,
      `ncalrpc dir = ${join(sub('run'), 'ncalrpc')}`,
      'load printers = no',
      'printcap name = /dev/null',
      'disable spoolss = yes',
      '',
    ].join('\n'),
  );

  // smbd itself, not a `faketime` wrapper, so the PID we signal is the daemon's.
  // Two traps when Node starts smbd (neither bites from a shell):
  // - stdin: smbd takes a socket on fd 0 for inetd mode (it serves fd 0 and exits), and Node's
  //   'pipe' stdio is a socketpair. A FIFO is not a socket, and smbd -F exits on its EOF: we hold
  //   the only write end, so smbd dies with this process even when it is SIGKILLed.
  // - process group: on exit smbd's parent signals its whole group (kill(0, SIGTERM)); with
  //   --no-process-group in ours, that is this test run and the shell above it. detached gives
  //   smbd a session of its own, and --no-process-group then spares it a second setsid().
  const fifo = sub('stdin.fifo');
  await run('mkfifo', [fifo]);
  const stdinRead = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const stdinWrite = openSync(fifo, constants.O_WRONLY);
  const env = opts.shift === undefined ? { ...process.env } : { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: opts.shift };
  if (opts.shift === undefined) delete env.LD_PRELOAD;
  const started = performance.now();
  const daemon = await startDaemon({
    name: `smbd on ${host}:${port}`,
    command: 'smbd',
    args: ['-F', '--no-process-group', '-s', conf],
    env,
    stdin: stdinRead,
    detached: true,
    // The group is smbd's own (see above): its helpers and workers go with it on SIGKILL.
    killGroup: true,
    graceMs: STOP_WITHIN_MS,
    logFiles: [join(sub('log'), 'log.smbd')],
    hint: 'install samba',
  }).catch(async (err: unknown) => {
    closeSync(stdinRead);
    closeSync(stdinWrite);
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  closeSync(stdinRead);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await daemon.stop();
      closeSync(stdinWrite);
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    await waitReady(daemon, (remainingMs) => accepts(host, port, Math.min(1000, remainingMs)).then((why) => why ?? true), {
      what: `smbd on ${host}:${port} to accept a TCP connection`,
      withinMs: READY_WITHIN_MS,
      everyMs: POLL_MS,
    });
    const readyMs = Math.round(performance.now() - started);

    // Whoever accepted must be the smbd we spawned (not a wrapper, not a racer for the free port):
    // its pid file names our child, and our child holds the listening socket.
    const pidFile = (await readFile(join(sub('run'), 'smbd.pid'), 'utf8').catch(() => '')).trim();
    if (pidFile !== String(daemon.pid)) {
      throw new Error(`smbd on ${host}:${port}: pid file says "${pidFile}", we spawned ${daemon.pid}\n${daemon.tail()}`);
    }
    const inode = await listenerInode(host, port);
    if (inode === undefined || !(await holdsSocket(daemon.pid, inode))) {
      throw new Error(`smbd on ${host}:${port}: the listener there is not smbd ${daemon.pid}'s\n${daemon.tail()}`);
    }
    return { host, port, pid: daemon.pid, dir, readyMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
