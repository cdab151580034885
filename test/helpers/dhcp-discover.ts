import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

// A DHCP client that sends DHCPDISCOVER (broadcast flag set) from 0.0.0.0:68 and prints the first
// DHCPOFFER as JSON: {"yiaddr": ..., "serverId": ..., "from": ...}. Run it inside a network
// namespace whose only interface faces the servers: `node dhcp-discover.js <mac> [timeout ms]`.
// Exit 0 with an offer, 1 without one.

const mac = (process.argv[2] ?? '02:00:00:00:99:01').split(':').map((h) => Number.parseInt(h, 16));
const timeoutMs = Number(process.argv[3] ?? 15000);
const xid = randomBytes(4);

function discover(): Buffer {
  const b = Buffer.alloc(300);
  b[0] = 1; // BOOTREQUEST
  b[1] = 1; // ethernet
  b[2] = 6;
  xid.copy(b, 4);
  b.writeUInt16BE(0x8000, 10); // broadcast flag: the offer comes to 255.255.255.255
  Buffer.from(mac).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  let o = 240;
  for (const byte of [53, 1, 1, 55, 3, 1, 3, 6, 255]) b[o++] = byte;
  return b;
}

function option(msg: Buffer, code: number): Buffer | undefined {
  let o = 240;
  while (o < msg.length) {
    const c = msg[o]!;
    if (c === 255) return undefined;
    if (c === 0) {
      o++;
      continue;
    }
    const len = msg[o + 1]!;
    if (c === code) return msg.subarray(o + 2, o + 2 + len);
    o += 2 + len;
  }
  return undefined;
}

const ip = (b: Buffer | undefined) => (b && b.length >= 4 ? [...b.subarray(0, 4)].join('.') : undefined);
const sock = createSocket({ type: 'udp4', reuseAddr: true });
const timer = setTimeout(() => {
  process.stderr.write(`dhcp-discover: no DHCPOFFER within ${timeoutMs} ms\n`);
  process.exit(1);
}, timeoutMs);
sock.on('message', (msg, from) => {
  if (msg.length < 240 || msg[0] !== 2 || !msg.subarray(4, 8).equals(xid)) return;
  if (option(msg, 53)?.[0] !== 2) return;
  clearTimeout(timer);
  process.stdout.write(`${JSON.stringify({ yiaddr: ip(msg.subarray(16, 20)), serverId: ip(option(msg, 54)), from: from.address })}\n`);
  sock.close();
});
sock.bind(68, '0.0.0.0', () => {
  sock.setBroadcast(true);
  const send = () =>
    sock.send(discover(), 67, '255.255.255.255', (err) => {
      if (err) process.stderr.write(`dhcp-discover: send: ${err.message}\n`);
    });
  send();
  const again = setInterval(send, 1000);
  sock.on('close', () => clearInterval(again));
});
