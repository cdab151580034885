import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sntpQuery } from '../../src/probes/sntp.js';
import { ProbeError } from '../../src/util/errors.js';
import { startDaemon, waitReady } from './daemon.js';
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

  // chronyd itself, not the `faketime` wrapper, so the PID we stop is the daemon's.
  const daemon = await startDaemon({
    name: `chronyd on ${host}:${port}`,
    command: 'chronyd',
    args: ['-d', '-x', '-f', conf],
    env: { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: opts.shift },
    graceMs: 2000,
    hint: 'install chrony and libfaketime',
  }).catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    await waitReady(
      daemon,
      async () => {
        try {
          await sntpQuery(host, port, { timeoutMs: POLL_MS });
          return true;
        } catch (err) {
          // An unsynchronized or kiss-o-death reply still proves chronyd is answering.
          if (err instanceof ProbeError && (err.code === 'unsynchronized' || err.code === 'kiss-o-death')) return true;
          throw err;
        }
      },
      { what: `chronyd on ${host}:${port} to answer SNTP`, withinMs: READY_WITHIN_MS, everyMs: POLL_MS },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, port, pid: daemon.pid, stop };
}

/** chronyd without `local stratum`: it answers, but unsynchronized (LI 3, stratum 0). */
export function startUnsynchronizedChrony(opts: Omit<ChronyOptions, 'localStratum'> = { shift: '+0s' }) {
  return startChrony({ ...opts, localStratum: false });
}
