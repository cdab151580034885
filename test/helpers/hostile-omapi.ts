import { createServer, type Server, type Socket } from 'node:net';
import { HEADER_SIZE, OP, RESULT, decodeMessage, encodeMessage, startupBytes, uint32Value, type DecodedMessage } from '../../src/probes/omapi-wire.js';

// OMAPI peers on loopback that misbehave in one way each, for the client's bounds. They decode
// what the client sends, so a test can also assert that nothing but startup and opens arrived.

export type OmapiBehaviour =
  | 'silent' // accepts, never sends a byte
  | 'startup-only' // sends a valid startup, then nothing
  | 'garbage' // an SSH banner instead of a startup
  | 'wrong-version' // startup with protocol version 101
  | 'huge-value' // answers the open with a header and a value length of 2^31
  | 'flood' // answers the open with an endless stream of small values
  | 'close-mid-message' // answers the open with half a header, then FIN
  | 'reset' // startup, then RST on the open
  | 'wrong-rid' // a well-formed update answering another message
  | 'bad-signature' // accepts any key, then signs its update with garbage
  | 'invalid-key'; // answers the signed open with status DHCP_R_INVALIDKEY, as dhcpd does

export interface HostileOmapi {
  host: string;
  port: number;
  /** Every message the client sent, decoded. */
  received: DecodedMessage[];
  /** Bytes received that did not decode (should stay 0). */
  undecoded(): number;
  close(): Promise<void>;
}

const KEY_HANDLE = 42;

function update(rid: number, handle: number, object: Map<string, Buffer>, signed = false): Buffer {
  const body = encodeMessage({ authid: signed ? KEY_HANDLE : 0, op: OP.update, handle, tid: 9000, rid, message: new Map(), object });
  if (!signed) return body;
  // Claims a 16-byte signature and sends 16 bytes that are not one.
  body.writeUInt32BE(16, 4);
  return Buffer.concat([body, Buffer.alloc(16, 0xab)]);
}

export async function startHostileOmapi(behaviour: OmapiBehaviour, host = '127.0.0.1'): Promise<HostileOmapi> {
  const sockets = new Set<Socket>();
  const received: DecodedMessage[] = [];
  let leftover = 0;
  let floods: NodeJS.Timeout[] = [];

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    if (behaviour === 'silent') return;
    if (behaviour === 'garbage') return void socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    if (behaviour === 'wrong-version') {
      const b = startupBytes();
      b.writeUInt32BE(101, 0);
      return void socket.write(b);
    }
    socket.write(startupBytes());
    let buf = Buffer.alloc(0);
    let gotStartup = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!gotStartup) {
        if (buf.length < 8) return;
        gotStartup = true;
        buf = buf.subarray(8);
      }
      for (;;) {
        let m: DecodedMessage | undefined;
        try {
          m = decodeMessage(buf, { maxMessageBytes: 1 << 20, maxAuthLen: 64, headerSize: HEADER_SIZE });
        } catch {
          leftover += buf.length;
          buf = Buffer.alloc(0);
          return;
        }
        if (!m) {
          leftover = buf.length;
          return;
        }
        leftover = 0;
        buf = buf.subarray(m.length);
        received.push(m);
        answer(socket, m);
      }
    });
  });

  function answer(socket: Socket, m: DecodedMessage): void {
    const type = m.message.get('type')?.toString();
    switch (behaviour) {
      case 'startup-only':
        return;
      case 'huge-value': {
        const head = encodeMessage({ authid: 0, op: OP.update, handle: 1, tid: 1, rid: m.tid, message: new Map(), object: new Map() }).subarray(0, HEADER_SIZE);
        return void socket.write(Buffer.concat([head, Buffer.from([0, 0]), Buffer.from([0, 4]), Buffer.from('name'), uint32Value(2 ** 31)]));
      }
      case 'flood': {
        const head = encodeMessage({ authid: 0, op: OP.update, handle: 1, tid: 1, rid: m.tid, message: new Map(), object: new Map() }).subarray(0, HEADER_SIZE);
        socket.write(Buffer.concat([head, Buffer.from([0, 0])]));
        let n = 0;
        const chunk = () => Buffer.concat([Buffer.from([0, 8]), Buffer.from(`v${String(n++).padStart(7, '0')}`), uint32Value(1000), Buffer.alloc(1000, 0x41)]);
        const t = setInterval(() => {
          if (socket.destroyed) return clearInterval(t);
          socket.write(Buffer.concat([chunk(), chunk(), chunk(), chunk()]));
        }, 5);
        floods.push(t);
        return;
      }
      case 'close-mid-message':
        return void socket.end(update(m.tid, 1, new Map([['name', Buffer.from('x')]])).subarray(0, 12));
      case 'reset':
        return void socket.resetAndDestroy();
      case 'wrong-rid':
        return void socket.write(update(m.tid + 1000, 1, new Map([['local-state', uint32Value(2)]])));
      case 'bad-signature':
        if (type === 'authenticator') return void socket.write(update(m.tid, KEY_HANDLE, new Map([['name', m.object.get('name') ?? Buffer.alloc(0)]])));
        return void socket.write(
          update(
            m.tid,
            7,
            new Map([
              ['local-state', uint32Value(2)],
              ['partner-state', uint32Value(2)],
            ]),
            true,
          ),
        );
      case 'invalid-key':
        if (type === 'authenticator') return void socket.write(update(m.tid, KEY_HANDLE, new Map([['name', m.object.get('name') ?? Buffer.alloc(0)]])));
        return void socket.write(
          encodeMessage({
            authid: 0,
            op: OP.status,
            handle: 0,
            tid: 9001,
            rid: m.tid,
            message: new Map([['result', uint32Value(RESULT.invalidKey)]]),
            object: new Map(),
          }),
        );
      default:
        return;
    }
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    host,
    port,
    received,
    undecoded: () => leftover,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of floods) clearInterval(t);
        floods = [];
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
