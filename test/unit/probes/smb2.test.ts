import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import {
  DIALECTS,
  MAX_REPLY_LEN,
  SERVER_RESOLUTION_MS,
  decodeNegotiateReply,
  dialectName,
  encodeNegotiateRequest,
  filetimeToUnixMs,
  smb2Time,
  unixMsToFiletime,
  type Smb2TimeResult,
} from '../../../src/probes/smb2.js';
import { ProbeError } from '../../../src/util/errors.js';
import { freePort } from '../../helpers/kea.js';

const REQUEST_LEN = 4 + 64 + 36 + 2 * DIALECTS.length;
const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ReplySpec {
  systemTimeMs?: number;
  /** Raw FILETIME, wins over systemTimeMs. */
  ticks?: bigint;
  dialect?: number;
  status?: number;
  command?: number;
  headerSize?: number;
  bodySize?: number;
  flags?: number;
  messageId?: bigint;
  /** Security blob bytes after the fixed body. */
  blob?: number;
}

/** An SMB2 NEGOTIATE reply as a server sends it (without the length prefix), built field by field. */
function replyMessage(spec: ReplySpec = {}): Buffer {
  const blob = spec.blob ?? 74;
  const msg = Buffer.alloc(64 + 64 + blob);
  msg.write('\xfeSMB', 0, 'latin1');
  msg.writeUInt16LE(spec.headerSize ?? 64, 4);
  msg.writeUInt32LE(spec.status ?? 0, 8);
  msg.writeUInt16LE(spec.command ?? 0, 12);
  msg.writeUInt16LE(1, 14);
  msg.writeUInt32LE(spec.flags ?? 1, 16);
  msg.writeBigUInt64LE(spec.messageId ?? 0n, 24);
  const b = 64;
  msg.writeUInt16LE(spec.bodySize ?? 65, b);
  msg.writeUInt16LE(1, b + 2);
  msg.writeUInt16LE(spec.dialect ?? 0x0302, b + 4);
  msg.fill(0x5a, b + 8, b + 24); // ServerGuid
  msg.writeUInt32LE(8 * 1024 * 1024, b + 28);
  msg.writeUInt32LE(8 * 1024 * 1024, b + 32);
  msg.writeUInt32LE(8 * 1024 * 1024, b + 36);
  msg.writeBigUInt64LE(spec.ticks ?? unixMsToFiletime(spec.systemTimeMs ?? nowMs()), b + 40);
  msg.writeUInt16LE(128, b + 56);
  msg.writeUInt16LE(blob, b + 58);
  msg.fill(0x60, b + 64);
  return msg;
}

/** An SMB2 ERROR reply (StructureSize 9) with the given status, as servers send for a failed NEGOTIATE. */
function errorMessage(status: number): Buffer {
  const msg = replyMessage({ status, blob: 0 }).subarray(0, 64 + 9);
  msg.writeUInt16LE(9, 64);
  return Buffer.from(msg);
}

const frame = (msg: Buffer): Buffer => Buffer.concat([Buffer.from([0, msg.length >> 16, (msg.length >> 8) & 0xff, msg.length & 0xff]), msg]);

// ---------------------------------------------------------------------------------------------
// A tiny scripted SMB2 peer on loopback.

interface Conn {
  socket: Socket;
  /** Everything the probe wrote. */
  received: Buffer;
  /** Resolves when the probe's side went away. */
  closed: Promise<void>;
}

interface Peer {
  host: string;
  port: number;
  conns: Conn[];
  close(): Promise<void>;
}

/** `onRequest` runs once the probe's whole request is in; `onAccept` at once. */
async function startPeer(script: { onAccept?: (s: Socket) => void; onRequest?: (s: Socket, request: Buffer) => void | Promise<void> }): Promise<Peer> {
  const conns: Conn[] = [];
  const server: Server = createServer((socket) => {
    let markClosed = () => {};
    const conn: Conn = { socket, received: Buffer.alloc(0), closed: new Promise((r) => (markClosed = r)) };
    conns.push(conn);
    socket.on('error', () => {});
    socket.on('close', () => markClosed());
    let answered = false;
    socket.on('data', (d: Buffer) => {
      conn.received = Buffer.concat([conn.received, d]);
      if (!answered && conn.received.length >= REQUEST_LEN) {
        answered = true;
        void script.onRequest?.(socket, conn.received);
      }
    });
    script.onAccept?.(socket);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  return {
    host: '127.0.0.1',
    port,
    conns,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let peer: Peer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

/** One probe against a scripted peer; checks it wrote exactly one request and hung up. */
async function probe(script: Parameters<typeof startPeer>[0], timeoutMs = 1000, signal?: AbortSignal) {
  peer = await startPeer(script);
  const before = nowMs();
  let result: Smb2TimeResult | undefined;
  let error: unknown;
  try {
    result = await smb2Time(peer.host, peer.port, { timeoutMs, ...(signal ? { signal } : {}) });
  } catch (err) {
    error = err;
  }
  const after = nowMs();
  const conn = peer.conns[0];
  if (conn) {
    // 10 s bounds the test from hanging on a probe that never closes; closing is not timed.
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([conn.closed.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
    clearTimeout(timer);
    assert.ok(gone, 'the probe closed its connection');
    assert.ok(conn.received.length <= REQUEST_LEN, `the probe wrote ${conn.received.length} bytes, more than one request`);
  }
  return { result, error, elapsed: after - before, before, after, conn };
}

function assertProbeError(error: unknown, code: string, pattern?: RegExp): ProbeError {
  assert.ok(error instanceof ProbeError, `expected ProbeError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, /^SMB2 127\.0\.0\.1:\d+: /);
  assert.doesNotMatch(error.message, /\n/);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

const answer = (data: Buffer) => (s: Socket) => void s.write(data);

// ---------------------------------------------------------------------------------------------

describe('SMB2 NEGOTIATE encoding', () => {
  it('builds one framed request: header, body, four dialects, the given ClientGuid', () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const req = encodeNegotiateRequest(guid);
    assert.equal(req.length, REQUEST_LEN);
    assert.equal(req.readUInt32BE(0), REQUEST_LEN - 4);
    assert.equal(req.toString('latin1', 4, 8), '\xfeSMB');
    assert.equal(req.readUInt16LE(4 + 4), 64); // header StructureSize
    assert.equal(req.readUInt32LE(4 + 8), 0); // status
    assert.equal(req.readUInt16LE(4 + 12), 0); // NEGOTIATE
    assert.equal(req.readUInt32LE(4 + 16), 0); // flags: a request
    assert.equal(req.readBigUInt64LE(4 + 24), 0n); // MessageId
    assert.equal(req.readBigUInt64LE(4 + 40), 0n); // no session
    const b = 4 + 64;
    assert.equal(req.readUInt16LE(b), 36);
    assert.equal(req.readUInt16LE(b + 2), 4);
    assert.equal(req.readUInt16LE(b + 4), 1); // signing enabled, not required
    assert.equal(req.readUInt32LE(b + 8), 0); // no capabilities
    assert.deepEqual(req.subarray(b + 12, b + 28), guid);
    assert.equal(req.readBigUInt64LE(b + 28), 0n);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => req.readUInt16LE(b + 36 + 2 * i)),
      [0x0202, 0x0210, 0x0300, 0x0302],
    );
  });

  it('refuses a ClientGuid that is not 16 bytes', () => {
    assert.throws(() => encodeNegotiateRequest(Buffer.alloc(15)), RangeError);
  });

  it('names dialects as Microsoft does', () => {
    assert.deepEqual([0x0202, 0x0210, 0x0300, 0x0302, 0x0311].map(dialectName), ['2.0.2', '2.1', '3.0', '3.0.2', '3.1.1']);
  });

  it('converts FILETIME to Unix ms exactly, beyond 2^53 ticks', () => {
    // 2024-01-01T00:00:00Z = 1704067200 s; + 11644473600 s from 1601; ×10^7 ticks.
    const ticks = (1_704_067_200n + 11_644_473_600n) * 10_000_000n;
    assert.ok(ticks > 2n ** 53n);
    assert.equal(filetimeToUnixMs(ticks), Date.UTC(2024, 0, 1));
    assert.equal(filetimeToUnixMs(ticks + 12_345n), Date.UTC(2024, 0, 1) + 1.2345);
    assert.equal(filetimeToUnixMs(ticks - 1n), Date.UTC(2024, 0, 1) - 0.0001);
    assert.equal(filetimeToUnixMs(116_444_736_000_000_000n), 0);
    // A double near 1.7e12 ms resolves ~0.24 µs, so the way back is good to a few ticks only.
    const back = unixMsToFiletime(Date.UTC(2024, 0, 1) + 1.2345) - (ticks + 12_345n);
    assert.ok(back >= -3n && back <= 3n, `${back} ticks off`);
    assert.equal(unixMsToFiletime(Date.UTC(2024, 0, 1)), ticks);
  });
});

describe('SMB2 NEGOTIATE decoding', () => {
  const at = Date.UTC(2030, 5, 1, 12, 0, 0) + 0.5;

  it('reads the dialect and SystemTime of a hand-built reply', () => {
    const r = decodeNegotiateReply(replyMessage({ systemTimeMs: at, dialect: 0x0210 }));
    assert.deepEqual(r, { ok: true, dialect: '2.1', systemTimeMs: at });
  });

  const cases: Array<[string, Buffer, string, RegExp]> = [
    ['an SMB1 message', Buffer.concat([Buffer.from('\xffSMBr', 'latin1'), Buffer.alloc(40)]), 'smb1', /speaks SMB1 only/],
    ['a wrong magic', Buffer.concat([Buffer.from('\xfeSMX', 'latin1'), replyMessage().subarray(4)]), 'bad-magic', /starts with fe534d58/],
    ['two bytes', Buffer.from([0xfe, 0x53]), 'bad-magic', /starts with fe53,/],
    ['a header cut at 40 bytes', replyMessage().subarray(0, 40), 'short', /40 bytes is shorter than an SMB2 header/],
    ['header StructureSize 65', replyMessage({ headerSize: 65 }), 'bad-reply', /header StructureSize 65/],
    ['a reply to SESSION_SETUP', replyMessage({ command: 1 }), 'bad-reply', /command 1, not NEGOTIATE/],
    ['no server-to-client flag', replyMessage({ flags: 0 }), 'bad-reply', /server-to-client flag/],
    ['another MessageId', replyMessage({ messageId: 7n }), 'bad-reply', /MessageId 7/],
    ['STATUS_NOT_SUPPORTED', errorMessage(0xc00000bb), 'status', /status 0xC00000BB$/],
    ['STATUS_ACCESS_DENIED on a full body', replyMessage({ status: 0xc0000022 }), 'status', /status 0xC0000022$/],
    ['a body cut at 50 bytes', replyMessage().subarray(0, 64 + 50), 'short', /114 bytes is shorter than a NEGOTIATE reply \(128\)/],
    ['body StructureSize 9 with success', replyMessage({ bodySize: 9 }), 'bad-reply', /StructureSize 9, expected 65/],
    ['dialect 3.1.1, never offered', replyMessage({ dialect: 0x0311 }), 'bad-reply', /dialect 0x0311/],
    ['dialect 0x02FF (the SMB1 multi-protocol answer)', replyMessage({ dialect: 0x02ff }), 'bad-reply', /dialect 0x02FF/],
    ['SystemTime 0', replyMessage({ ticks: 0n }), 'no-clock', /no SystemTime/],
  ];
  for (const [what, msg, code, why] of cases) {
    it(`rejects ${what} as ${code}`, () => {
      const r = decodeNegotiateReply(msg);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.code, code, r.why);
      assert.match(r.why, why);
    });
  }

  it('accepts every dialect it offers', () => {
    for (const d of DIALECTS) assert.equal(decodeNegotiateReply(replyMessage({ dialect: d })).ok, true);
  });
});

describe('smb2Time against scripted peers on loopback', () => {
  it('reads a known FILETIME: offset within the bound the probe claims', async () => {
    const fixed = Date.UTC(2031, 0, 2, 3, 4, 5) + 0.6789;
    const { result, error, before, after, conn } = await probe({ onRequest: answer(frame(replyMessage({ systemTimeMs: fixed, dialect: 0x0300 }))) });
    assert.equal(error, undefined);
    assert.ok(result);
    assert.equal(result.serverTime.getTime(), Math.floor(fixed));
    assert.equal(result.dialect, '3.0');
    assert.equal(result.server, `127.0.0.1:${peer?.port}`);
    // The midpoint lies between the call and its return, so the offset must too.
    assert.ok(result.offsetMs <= fixed - before && result.offsetMs >= fixed - after, `offset ${result.offsetMs}`);
    assert.ok(result.delayMs >= 0 && result.delayMs < after - before + 0.01, `delay ${result.delayMs}`);
    assert.equal(result.errorMs, result.delayMs / 2 + SERVER_RESOLUTION_MS);
    assert.equal(conn?.received.length, REQUEST_LEN, 'exactly one request was written');
  });

  it('measures a peer whose clock runs 12.345678 s ahead to within errorMs, even when it stamps early', async () => {
    const shift = 12_345.678;
    let stampedAt = 0;
    let repliedAt = 0;
    const { result, error, before } = await probe({
      onRequest: async (s) => {
        // Stamp at once, answer 60 ms later: the worst case the midpoint has to cover.
        stampedAt = nowMs();
        await sleep(60);
        repliedAt = nowMs();
        s.write(frame(replyMessage({ systemTimeMs: stampedAt + shift })));
      },
    });
    assert.equal(error, undefined);
    assert.ok(result);
    assert.ok(result.delayMs >= 55, `delay ${result.delayMs}`);
    // Measured from the reply's arrival the offset would be ~60 ms short, outside the bound.
    assert.ok(Math.abs(result.offsetMs - shift) <= result.errorMs, `offset ${result.offsetMs} ± ${result.errorMs}`);
    // The midpoint, not the send time: the probe sent (t1) after `before` and before the stamp,
    // and heard the reply (t4) after it was written, so stamp − (t1 + t4)/2 is at most
    // (stamp − before − (replied − stamp))/2 — about −30 ms here, and true however slow the
    // machine. From the send time the offset would be stamp − t1 ≥ 0 above the shift.
    const bound = (stampedAt - before - (repliedAt - stampedAt)) / 2;
    assert.ok(result.offsetMs - shift <= bound + 0.01, `offset ${result.offsetMs - shift} ms off the shift, more than ${bound}: not the midpoint`);
  });

  it('measures a clock behind ours as a negative offset', async () => {
    const { result } = await probe({ onRequest: (s) => void s.write(frame(replyMessage({ systemTimeMs: nowMs() - 90_000 }))) });
    assert.ok(result && Math.abs(result.offsetMs + 90_000) <= result.errorMs, `offset ${result?.offsetMs}`);
  });

  it('sends a fresh random ClientGuid on each connection', async () => {
    const guids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { conn } = await probe({ onRequest: answer(frame(replyMessage())) });
      guids.push(conn?.received.subarray(4 + 64 + 12, 4 + 64 + 28).toString('hex') ?? '');
      await peer?.close();
      peer = undefined;
    }
    assert.equal(guids.length, 2);
    assert.notEqual(guids[0], guids[1]);
    assert.notEqual(guids[0], '0'.repeat(32));
  });

  it('reassembles a reply that arrives one byte at a time', async () => {
    const data = frame(replyMessage({ dialect: 0x0202 }));
    const { result, error } = await probe({
      onRequest: async (s) => {
        for (const byte of data) {
          s.write(Buffer.from([byte]));
          await sleep(0);
        }
      },
    });
    assert.equal(error, undefined);
    assert.equal(result?.dialect, '2.0.2');
  });

  it('reads one frame and ignores what follows it in the same segment', async () => {
    const { result, error } = await probe({ onRequest: answer(Buffer.concat([frame(replyMessage()), Buffer.alloc(5000, 0xee)])) });
    assert.equal(error, undefined);
    assert.equal(result?.dialect, '3.0.2');
  });

  it('times out on a silent peer, not before timeoutMs', async () => {
    const { error, elapsed, conn } = await probe({}, 300);
    assertProbeError(error, 'timeout', /no complete reply within 300 ms \(connected after \d+ ms, got nothing\)$/);
    assert.ok(elapsed >= 295, `settled after ${elapsed} ms`);
    assert.equal(conn?.received.length, REQUEST_LEN);
  });

  it('bounds the whole exchange by one budget: a peer dripping bytes still times out', async () => {
    let drip: NodeJS.Timeout | undefined;
    const { error, elapsed } = await probe(
      {
        onRequest: (s) => {
          const data = frame(replyMessage());
          let i = 0;
          drip = setInterval(() => s.writable && i < data.length && s.write(data.subarray(i, ++i)), 50);
        },
      },
      400,
    );
    clearInterval(drip);
    assertProbeError(error, 'timeout', /got \d+ of 206 bytes/);
    assert.ok(elapsed >= 395, `settled after ${elapsed} ms`);
  });

  it('answers garbage (an HTTP error page) with a clear error', async () => {
    const { error } = await probe({ onRequest: answer(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')) });
    assertProbeError(error, 'bad-magic', /not an SMB2 frame \(first byte 0x48, expected 0x00\)$/);
  });

  it('rejects a framed reply with the wrong magic', async () => {
    const bogus = replyMessage();
    bogus.write('\xfdSMB', 0, 'latin1');
    const { error } = await probe({ onRequest: answer(frame(bogus)) });
    assertProbeError(error, 'bad-magic', /starts with fd534d42/);
  });

  it('refuses a length prefix of 0xFFFFFF at once, without waiting for the bytes', async () => {
    // A 60 s budget: "too-large" rather than "timeout" shows it did not wait for the bytes.
    const { error } = await probe({ onRequest: answer(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xfe, 0x53])) }, 60_000);
    assertProbeError(error, 'too-large', new RegExp(`announces 16777215 bytes \\(more than ${MAX_REPLY_LEN}\\)`));
  });

  it('accepts a reply of exactly the cap', async () => {
    const { result, error } = await probe({ onRequest: answer(frame(replyMessage({ blob: MAX_REPLY_LEN - 128 }))) });
    assert.equal(error, undefined);
    assert.ok(result);
  });

  it('reports a peer that closes after 3 bytes', async () => {
    const { error } = await probe({ onRequest: (s) => void s.end(Buffer.from([0, 0, 0])) }, 60_000);
    assertProbeError(error, 'closed', /closed after 3 bytes, inside the length prefix$/);
  });

  it('reports a peer that closes mid-reply', async () => {
    const { error } = await probe({ onRequest: (s) => void s.end(frame(replyMessage()).subarray(0, 54)) });
    assertProbeError(error, 'closed', /closed after 54 of 206 bytes$/);
  });

  it('reports a peer that closes without a word', async () => {
    const { error } = await probe({ onAccept: (s) => void s.end() });
    assertProbeError(error, 'closed', /before any reply/);
  });

  it('reports a peer that resets the connection', async () => {
    const { error } = await probe({ onRequest: (s) => void s.resetAndDestroy() });
    assertProbeError(error, 'reset', /connection reset/);
  });

  it('says "speaks SMB1 only" for an SMB1 reply', async () => {
    const smb1 = Buffer.alloc(37 + 34);
    smb1.write('\xffSMB', 0, 'latin1');
    smb1[4] = 0x72; // SMB_COM_NEGOTIATE
    const { error } = await probe({ onRequest: answer(frame(smb1)) });
    assertProbeError(error, 'smb1', /speaks SMB1 only/);
  });

  it('names a failed status in hex', async () => {
    const { error } = await probe({ onRequest: answer(frame(errorMessage(0xc00000bb))) });
    assertProbeError(error, 'status', /NEGOTIATE failed with status 0xC00000BB$/);
  });

  it('refuses an empty frame', async () => {
    const { error } = await probe({ onRequest: answer(Buffer.alloc(4)) });
    assertProbeError(error, 'short', /length prefix 0/);
  });

  it('reports refused, not a timeout, when nothing listens', async () => {
    const port = await freePort('127.0.0.1');
    await assert.rejects(smb2Time('127.0.0.1', port, { timeoutMs: 60_000 }), (err) => {
      assertProbeError(err, 'refused', new RegExp(`^SMB2 127\\.0\\.0\\.1:${port}: connection refused`));
      return true;
    });
  });

  it('stops with "aborted", not a timeout, when the signal fires mid-exchange', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const { error } = await probe({}, 60_000, ac.signal);
    assertProbeError(error, 'aborted');
  });

  it('does not even connect with an already aborted signal', async () => {
    const { error } = await probe({}, 60_000, AbortSignal.abort());
    assertProbeError(error, 'aborted');
    await sleep(50);
    assert.equal(peer?.conns.length, 0);
  });

  it('rejects an invalid port without connecting', async () => {
    await assert.rejects(smb2Time('127.0.0.1', 70_000, { timeoutMs: 100 }), { code: 'error', message: /invalid TCP port 70000/ });
  });

  it('leaves no TCP handle behind after any outcome', async () => {
    const tcpHandles = async () => {
      await sleep(5);
      return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    };
    peer = await startPeer({ onRequest: answer(Buffer.from([0, 0xff, 0xff, 0xff])) });
    const before = await tcpHandles();
    await assert.rejects(smb2Time(peer.host, peer.port, { timeoutMs: 1000 }), { code: 'too-large' });
    // The peer's accepted socket is ours to count too; it goes once the probe hung up.
    await peer.conns[0]?.closed;
    assert.ok((await tcpHandles()) <= before, 'the probe destroyed its socket');
  });
});
