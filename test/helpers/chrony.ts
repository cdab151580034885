import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sntpQuery } from '../../src/probes/sntp.js';
import { ProbeError } from '../../src/util/errors.js';
import { freeUdpPort } from './fake-ntp.js';

/**
 * A real chronyd on loopback whose clock is shifted by libfaketime
 * (recipe: /work/shared/recipes/REAL-SERVERS.md, "NTP server with a deliberately shifted clock").
 */

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const READY_WITHIN_MS = 5000;
const POLL_MS = 100;

export interface ChronyOptions {
  /** libfaketime relative shift, e.g. "+5m", "+20s", "-1h". */
  shift: string;
  /** Default 127.0.0.1. Keep it inside 127.0.0.0/8. */
  address?: string;
  /** Default: a free high port. */
  port?: number;
  /** Default 8. `false` leaves `local stratum` out: chrony then answers unsynchronized (LI 3, stratum 0). */
  localStratum?: number | false;
}

export interface ChronyServer {
  host: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

// A crashed test run must not orphan daemons: kill whatever is still running on exit.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startChrony(opts: ChronyOptions): Promise<ChronyServer> {
  const host = opts.address ?? '127.0.0.1';
  const port = opts.port ?? (await freeUdpPort());
  const dir = await mkdtemp(join(tmpdir(), 'chrony-test-'));
  const conf = join(dir, 'chrony.conf');
  await writeFile(
    conf,
    [
      `port ${port}`,
      `bindaddress ${host}`,
      'allow 127.0.0.0/8',
      opts.localStratum === false ? '' : `local stratum ${opts.localStratum ?? 8}`,
      'cmdport 0',
      'bindcmdaddress /',
      `pidfile ${join(dir, 'chronyd.pid')}`,
      `driftfile ${join(dir, 'chrony.drift')}`,
      '',
    ].join('\n'),
  );

  // chronyd itself, not the `faketime` wrapper, so the PID we kill is the daemon's.
  const child = spawn('chronyd', ['-d', '-x', '-f', conf], {
    env: { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: opts.shift },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 16_384) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exited(child).then(() => true), sleep(2000).then(() => false)]);
        if (!killed) {
          child.kill('SIGKILL');
          await exited(child);
        }
      }
      running.delete(child);
      await rm(dir, { recursive: true, force: true });
    })());

  const deadline = Date.now() + READY_WITHIN_MS;
  let lastError = 'no attempt';
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      const how = spawnError ? spawnError.message : `exited with ${child.exitCode ?? child.signalCode}`;
      throw new Error(`chronyd on ${host}:${port} ${how}; its output:\n${output.trim()}`);
    }
    try {
      await sntpQuery(host, port, { timeoutMs: POLL_MS });
      break;
    } catch (err) {
      // An unsynchronized or kiss-o-death reply still proves chronyd is answering.
      if (err instanceof ProbeError && (err.code === 'unsynchronized' || err.code === 'kiss-o-death')) break;
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      await stop();
      throw new Error(
        `chronyd on ${host}:${port} did not answer within ${READY_WITHIN_MS} ms (last: ${lastError}); its output:\n${output.trim()}`,
      );
    }
    await sleep(POLL_MS);
  }

  if (child.pid === undefined) throw new Error('chronyd has no PID');
  return { host, port, pid: child.pid, stop };
}

/** chronyd without `local stratum`: it answers, but unsynchronized (LI 3, stratum 0). */
export function startUnsynchronizedChrony(opts: Omit<ChronyOptions, 'localStratum'> = { shift: '+0s' }) {
  return startChrony({ ...opts, localStratum: false });
}
