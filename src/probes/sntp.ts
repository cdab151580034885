import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { bounded } from '../util/bounded.js';
import { ProbeError } from '../util/errors.js';

/** One SNTP exchange (RFC 4330 client, RFC 5905 packet). */
export interface SntpResult {
  /** ((T2-T1)+(T3-T4))/2 : how far the server's clock is ahead of ours. */
  offsetMs: number;
  /** (T4-T1)-(T3-T2) */
  delayMs: number;
  stratum: number;
  leap: number;
  version: number;
  refId: string;
  /** "host:port" */
  server: string;
}

const PACKET_LEN = 48;
/** Extension fields and MACs may follow the header; anything bigger is not an NTP reply we trust. */
/** A reply longer than this is ignored (README: Limits). */
export const MAX_PACKET_LEN = 1024;
const NTP_TO_UNIX_S = 2_208_988_800;
const TWO_32 = 2 ** 32;
const ERA_MS = TWO_32 * 1000;
/** ~244 µs of fraction: far below what the offset needs, enough to make the origin check a nonce. */
const NONCE_BITS = 20;

const KISS_MEANING: Record<string, string> = {
  RATE: 'the server asks us to poll less often',
  DENY: 'the server denies us access',
  RSTR: 'the server restricts our access',
};

/** Wall clock with sub-millisecond resolution; Date.now() only has whole milliseconds. */
const nowMs = (): number => performance.timeOrigin + performance.now();

/** 32.32 NTP timestamp -> Unix ms, choosing the era closest to `pivotMs` so 2036 rollover is harmless. */
function ntpToUnixMs(buf: Buffer, at: number, pivotMs: number): number {
  const ms = (buf.readUInt32BE(at) - NTP_TO_UNIX_S + buf.readUInt32BE(at + 4) / TWO_32) * 1000;
  return ms + Math.round((pivotMs - ms) / ERA_MS) * ERA_MS;
}

function refIdText(buf: Buffer, stratum: number): string {
  // Stratum 0/1 carry ASCII (kiss code or reference clock name); higher strata an IPv4 address or a hash.
  if (stratum <= 1) return buf.toString('latin1', 12, 16).replace(/\0+$/, '');
  return [12, 13, 14, 15].map((i) => buf[i]).join('.');
}

function plural(n: number, what: string): string {
  return `${n} ${n === 1 ? 'reply' : 'replies'} ${what}`;
}

// node:crypto is the costliest module a run would load (more so with NODE_EXTRA_CA_CERTS set),
// for one random number: context.ts imports this probe only when a clock is read.
export function sntpQuery(host: string, port: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<SntpResult> {
  const server = `${host}:${port}`;
  const fail = (msg: string, code: string) => new ProbeError(`NTP ${server}: ${msg}`, code);
  const ignored = { short: 0, long: 0, mode: 0, origin: 0, source: 0, zeroTx: 0 };
  const timeoutError = () => {
    const why = [
      ignored.short && plural(ignored.short, `shorter than ${PACKET_LEN} bytes`),
      ignored.long && plural(ignored.long, `longer than ${MAX_PACKET_LEN} bytes`),
      ignored.mode && plural(ignored.mode, 'not in server mode'),
      ignored.origin && plural(ignored.origin, 'with a wrong origin timestamp'),
      ignored.source && plural(ignored.source, 'from another address'),
      ignored.zeroTx && plural(ignored.zeroTx, 'with a zero transmit timestamp'),
    ].filter(Boolean);
    const detail = why.length ? ` (ignored ${why.join(', ')})` : '';
    return fail(`no valid reply within ${opts.timeoutMs} ms${detail}`, 'timeout');
  };
  const bound = { label: `NTP ${server}`, timeoutMs: opts.timeoutMs, signal: opts.signal, timeoutError, abortError: () => fail('aborted', 'aborted') };

  return bounded<SntpResult>(bound, (settle, onCleanup) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return settle.reject(fail(`invalid UDP port ${port}`, 'error'));
    const socket = dgram.createSocket('udp4');
    const request = Buffer.alloc(PACKET_LEN);
    let t1 = 0;
    // Settle only once the socket is closed, so a caller that checks for open handles sees none.
    onCleanup(
      () =>
        new Promise<void>((closed) => {
          try {
            socket.close(() => closed());
          } catch {
            closed();
          }
        }),
    );

    socket.on('error', (err: NodeJS.ErrnoException) => {
      // On a connected UDP socket the kernel reports ICMP port unreachable as ECONNREFUSED.
      if (err.code === 'ECONNREFUSED') settle.reject(fail('connection refused (nothing listens on that UDP port)', 'refused'));
      else settle.reject(fail(err.message, 'error'));
    });

    socket.on('message', (msg, rinfo) => {
      const t4 = nowMs();
      // Nothing sent yet means nothing to match: an all-zero origin would otherwise pass the nonce check.
      if (settle.settled || t1 === 0) return;
      // connect() makes the kernel drop datagrams from anyone else; checking again is cheap insurance.
      const remote = socket.remoteAddress();
      if (rinfo.address !== remote.address || rinfo.port !== remote.port) return void ignored.source++;
      if (msg.length < PACKET_LEN) return void ignored.short++;
      if (msg.length > MAX_PACKET_LEN) return void ignored.long++;
      const b0 = msg[0] ?? 0;
      if ((b0 & 7) !== 4) return void ignored.mode++;
      // The origin timestamp must echo our transmit timestamp exactly; otherwise it answers someone else (or is forged).
      if (!msg.subarray(24, 32).equals(request.subarray(40, 48))) return void ignored.origin++;
      if (msg.readUInt32BE(40) === 0 && msg.readUInt32BE(44) === 0) return void ignored.zeroTx++;

      const leap = b0 >> 6;
      const version = (b0 >> 3) & 7;
      const stratum = msg[1] ?? 0;
      const refId = refIdText(msg, stratum);
      if (stratum === 0 && /^[\x21-\x7e]{1,4}$/.test(refId)) {
        const meaning = KISS_MEANING[refId];
        return settle.reject(fail(`kiss-o-death ${refId}${meaning ? ` (${meaning})` : ''}`, 'kiss-o-death'));
      }
      if (leap === 3 || stratum === 0 || stratum >= 16) {
        return settle.reject(fail(`server clock is not synchronized (leap indicator ${leap}, stratum ${stratum})`, 'unsynchronized'));
      }

      const t2 = ntpToUnixMs(msg, 32, t1);
      const t3 = ntpToUnixMs(msg, 40, t1);
      settle.resolve({
        offsetMs: (t2 - t1 + (t3 - t4)) / 2,
        delayMs: t4 - t1 - (t3 - t2),
        stratum,
        leap,
        version,
        refId,
        server,
      });
    });

    socket.connect(port, host, (err?: Error) => {
      // A failed lookup arrives here rather than as an 'error' event.
      if (err) return void socket.emit('error', err);
      if (settle.settled) return;
      request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, VN 4, mode 3 (client)
      t1 = nowMs();
      const unixS = Math.floor(t1 / 1000);
      const frac = Math.floor(((t1 - unixS * 1000) / 1000) * TWO_32);
      const nonce = randomInt(2 ** NONCE_BITS);
      request.writeUInt32BE((unixS + NTP_TO_UNIX_S) % TWO_32, 40);
      request.writeUInt32BE((frac - (frac % 2 ** NONCE_BITS) + nonce) >>> 0, 44);
      socket.send(request, (err) => {
        if (err) socket.emit('error', err);
      });
    });
  });
}
