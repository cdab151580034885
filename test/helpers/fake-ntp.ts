import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A scripted, possibly hostile NTP server on 127.0.0.1 for unit tests. For every request the
 * script returns what to send back: well-formed replies built by `reply()`, raw garbage, or
 * packets sent from a second socket (another source port).
 */

const NTP_TO_UNIX_S = 2_208_988_800;

export interface ReplyOptions {
  /** How far this fake server's clock is ahead of the real one. */
  shiftMs?: number;
  leap?: number;
  version?: number;
  mode?: number;
  stratum?: number;
  /** ASCII (kiss code / refclock name) or 4 raw bytes. */
  refId?: string | Buffer;
  /** Replace the echoed origin timestamp (to fake a spoofed or stale reply). */
  origin?: Buffer;
  /** Total packet length (pads with zeros or truncates). */
  length?: number;
  /** Real-clock ms when the request arrived (T2, before the shift); default: now. */
  receivedMs?: number;
  /** Zero the transmit timestamp. */
  zeroTransmit?: boolean;
}

function writeNtp(buf: Buffer, at: number, unixMs: number): void {
  const s = Math.floor(unixMs / 1000);
  buf.writeUInt32BE((s + NTP_TO_UNIX_S) % 2 ** 32, at);
  buf.writeUInt32BE(Math.floor(((unixMs - s * 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
}

/** A server reply to `request`, honest unless options say otherwise. */
export function reply(request: Buffer, o: ReplyOptions = {}): Buffer {
  const now = () => performance.timeOrigin + performance.now() + (o.shiftMs ?? 0);
  const b = Buffer.alloc(48);
  b[0] = ((o.leap ?? 0) << 6) | ((o.version ?? 4) << 3) | (o.mode ?? 4);
  b[1] = o.stratum ?? 2;
  b[2] = 6;
  b[3] = 0xec; // precision -20
  const ref = o.refId ?? Buffer.from([127, 0, 0, 1]);
  (typeof ref === 'string' ? Buffer.from(ref.padEnd(4, '\0').slice(0, 4), 'latin1') : ref).copy(b, 12);
  writeNtp(b, 16, now() - 1000);
  (o.origin ?? request.subarray(40, 48)).copy(b, 24);
  writeNtp(b, 32, o.receivedMs === undefined ? now() : o.receivedMs + (o.shiftMs ?? 0));
  if (!o.zeroTransmit) writeNtp(b, 40, now());
  if (o.length === undefined) return b;
  return o.length <= 48 ? b.subarray(0, o.length) : Buffer.concat([b, Buffer.alloc(o.length - 48)]);
}

/** `data` may be a function so a delayed reply carries timestamps from when it is sent. */
export type Action = Buffer | { data: Buffer | (() => Buffer); fromOtherPort?: boolean; delayMs?: number };
export type Script = (request: Buffer, n: number) => Action[];

export interface FakeNtp {
  host: string;
  port: number;
  /** Requests received so far. */
  requests: Buffer[];
  close(): Promise<void>;
}

function bind(socket: dgram.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve((socket.address() as AddressInfo).port);
    });
  });
}

export async function startFakeNtp(script: Script): Promise<FakeNtp> {
  const main = dgram.createSocket('udp4');
  const other = dgram.createSocket('udp4');
  const port = await bind(main);
  await bind(other);
  const requests: Buffer[] = [];
  const timers = new Set<NodeJS.Timeout>();

  main.on('message', (msg, rinfo) => {
    requests.push(msg);
    for (const action of script(msg, requests.length)) {
      const a = Buffer.isBuffer(action) ? { data: action } : action;
      const send = () => {
        const data = typeof a.data === 'function' ? a.data() : a.data;
        (a.fromOtherPort ? other : main).send(data, rinfo.port, rinfo.address);
      };
      if (!a.delayMs) send();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, a.delayMs);
        timers.add(t);
      }
    }
  });

  return {
    host: '127.0.0.1',
    port,
    requests,
    async close() {
      for (const t of timers) clearTimeout(t);
      await Promise.all([main, other].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/** A UDP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  const port = await bind(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
