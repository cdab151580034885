import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { reply } from './fake-ntp.js';

// A hostile NTP server on 127.0.0.1 for the CLI tests: one misbehaviour per instance. Replies
// "from another address" come from a second socket on 127.0.0.3, "from another port" from a
// second socket on 127.0.0.1; everything stays on loopback.

export const NTP_BEHAVIOURS = [
  'honest',
  'silent',
  'short',
  'oversized',
  'other-port',
  'other-address',
  'wrong-origin',
  'leap-3',
  'stratum-0',
  'stratum-16',
  'kod-rate',
  'kod-deny',
] as const;
export type NtpBehaviour = (typeof NTP_BEHAVIOURS)[number];

export interface HostileNtp {
  host: string;
  port: number;
  endpoint: string;
  /** Requests received. */
  requests: number;
  close(): Promise<void>;
}

function bind(socket: dgram.Socket, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve((socket.address() as AddressInfo).port);
    });
  });
}

function answer(behaviour: NtpBehaviour, request: Buffer): Buffer | undefined {
  switch (behaviour) {
    case 'honest':
    case 'other-port':
    case 'other-address':
      return reply(request);
    case 'silent':
      return undefined;
    case 'short':
      return reply(request, { length: 47 });
    case 'oversized':
      return reply(request, { length: 4096 });
    case 'wrong-origin':
      // What an off-path spoofer sends: a plausible reply that cannot echo our random transmit time.
      return reply(request, { origin: randomBytes(8), shiftMs: 3_600_000 });
    case 'leap-3':
      return reply(request, { leap: 3 });
    case 'stratum-0':
      return reply(request, { stratum: 0, refId: Buffer.from([0, 0, 0, 0]) });
    case 'stratum-16':
      return reply(request, { stratum: 16 });
    case 'kod-rate':
      return reply(request, { stratum: 0, refId: 'RATE' });
    case 'kod-deny':
      return reply(request, { stratum: 0, refId: 'DENY' });
  }
}

/** Starts the server; rejects (never resolves to a half-started server) when a socket cannot bind. */
export async function startHostileNtp(behaviour: NtpBehaviour): Promise<HostileNtp> {
  const main = dgram.createSocket('udp4');
  const sockets = [main];
  let sender = main;
  try {
    const port = await bind(main, '127.0.0.1');
    if (behaviour === 'other-port' || behaviour === 'other-address') {
      sender = dgram.createSocket('udp4');
      sockets.push(sender);
      await bind(sender, behaviour === 'other-port' ? '127.0.0.1' : '127.0.0.3');
    }
    const server: HostileNtp = {
      host: '127.0.0.1',
      port,
      endpoint: `127.0.0.1:${port}`,
      requests: 0,
      async close() {
        await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
      },
    };
    main.on('message', (msg, rinfo) => {
      server.requests++;
      const data = answer(behaviour, msg);
      if (data) sender.send(data, rinfo.port, rinfo.address);
    });
    return server;
  } catch (err) {
    for (const s of sockets) s.close();
    throw err;
  }
}
