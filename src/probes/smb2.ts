import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { bounded } from '../util/bounded.js';
import { ProbeError } from '../util/errors.js';
import { monotonicMs } from '../util/elapsed.js';

/**
 * A server's clock read from its SMB2 NEGOTIATE reply (MS-SMB2 2.2.3 / 2.2.4). Every SMB2 server
 * answers a NEGOTIATE before any authentication, so this reads the clock of a Windows member server,
 * which serves no NTP. One request, no session, nothing else written.
 */
export interface Smb2TimeResult {
  /** serverTime − midpoint(sent, received): how far the server's clock is ahead of ours. */
  offsetMs: number;
  /** Round trip from writing the request to the first byte of the reply. */
  delayMs: number;
  /** |true offset − offsetMs| ≤ errorMs: delayMs/2 plus the server clock's resolution. */
  errorMs: number;
  serverTime: Date;
  /** The dialect the server chose: "2.0.2", "2.1", "3.0" or "3.0.2". */
  dialect: string;
  /** "host:port" */
  server: string;
}

/**
 * What a SystemTime reading may lag the server's real clock. FILETIME counts 100 ns, but Windows
 * (srv2.sys) stamps it from the kernel's system time, which advances once per clock interrupt:
 * 15.625 ms by default, and never coarser. Samba reads a microsecond clock. We cannot tell which
 * one answers, so we always add the Windows worst case: 16 ms of pessimism is nothing next to a
 * skew limit of seconds, while a bound smaller than the truth would be a false claim.
 */
export const SERVER_RESOLUTION_MS = 15.625;

/** A NEGOTIATE reply with its security blob is a few hundred bytes; Windows' is under 1 KiB. */
export const MAX_REPLY_LEN = 64 * 1024;

export const DIALECTS = [0x0202, 0x0210, 0x0300, 0x0302] as const;

const HEADER_LEN = 64;
/** Fixed part of the NEGOTIATE reply body (StructureSize 65 counts one byte of its buffer). */
const REPLY_BODY_LEN = 64;
const REQUEST_BODY_LEN = 36;
const CMD_NEGOTIATE = 0;
const FLAGS_SERVER_TO_REDIR = 0x1;
const SIGNING_ENABLED = 0x1;
const SMB2_MAGIC = Buffer.from([0xfe, 0x53, 0x4d, 0x42]);
const SMB1_MAGIC = Buffer.from([0xff, 0x53, 0x4d, 0x42]);
/** 100-ns ticks from 1601-01-01 to 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** Wall clock with sub-millisecond resolution, as the SNTP probe reads it, so both offsets agree. */
const nowMs = (): number => performance.timeOrigin + performance.now();

/** "3.0.2" for 0x0302, "2.1" for 0x0210. */
export function dialectName(code: number): string {
  const major = (code >> 8) & 0xff;
  const minor = (code >> 4) & 0xf;
  const patch = code & 0xf;
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}

/** FILETIME (100-ns ticks since 1601, UTC) to Unix ms, in BigInt: today's ticks exceed 2^53. */
export function filetimeToUnixMs(ticks: bigint): number {
  const since1970 = ticks - FILETIME_UNIX_EPOCH;
  const whole = since1970 / 10_000n;
  return Number(whole) + Number(since1970 - whole * 10_000n) / 10_000;
}

export function unixMsToFiletime(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 10_000n + BigInt(Math.round((ms - whole) * 10_000)) + FILETIME_UNIX_EPOCH;
}

/** The whole request as it goes on the wire: 4-byte length prefix, SMB2 header, NEGOTIATE body. */
export function encodeNegotiateRequest(clientGuid: Buffer): Buffer {
  if (clientGuid.length !== 16) throw new RangeError('ClientGuid must be 16 bytes');
  const len = HEADER_LEN + REQUEST_BODY_LEN + 2 * DIALECTS.length;
  const buf = Buffer.alloc(4 + len);
  buf.writeUInt32BE(len, 0); // zero type byte + 24-bit length (MS-SMB2 2.1, Direct TCP)
  const h = 4;
  SMB2_MAGIC.copy(buf, h);
  buf.writeUInt16LE(HEADER_LEN, h + 4);
  buf.writeUInt16LE(CMD_NEGOTIATE, h + 12);
  buf.writeUInt16LE(1, h + 14); // CreditRequest: the one credit a NEGOTIATE needs; MessageId stays 0
  const b = h + HEADER_LEN;
  buf.writeUInt16LE(REQUEST_BODY_LEN, b);
  buf.writeUInt16LE(DIALECTS.length, b + 2);
  buf.writeUInt16LE(SIGNING_ENABLED, b + 4);
  // Reserved, Capabilities 0, then ClientGuid; ClientStartTime stays 0.
  clientGuid.copy(buf, b + 12);
  for (const [i, d] of DIALECTS.entries()) buf.writeUInt16LE(d, b + REQUEST_BODY_LEN + 2 * i);
  return buf;
}

export type NegotiateReply = { ok: true; dialect: string; systemTimeMs: number } | { ok: false; code: string; why: string };

const hex = (n: number, digits: number) => `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;

/** Judges one SMB2 message (the bytes after the length prefix) as a reply to our NEGOTIATE. */
export function decodeNegotiateReply(msg: Buffer): NegotiateReply {
  const bad = (code: string, why: string): NegotiateReply => ({ ok: false, code, why });
  if (msg.length >= 4 && msg.subarray(0, 4).equals(SMB1_MAGIC)) {
    return bad('smb1', 'speaks SMB1 only (answered an SMB2 NEGOTIATE with an SMB1 message)');
  }
  if (msg.length < 4 || !msg.subarray(0, 4).equals(SMB2_MAGIC)) {
    return bad('bad-magic', `not an SMB2 reply (starts with ${msg.subarray(0, 4).toString('hex') || 'nothing'}, expected fe534d42)`);
  }
  if (msg.length < HEADER_LEN) return bad('short', `reply of ${msg.length} bytes is shorter than an SMB2 header (64)`);
  const structureSize = msg.readUInt16LE(4);
  if (structureSize !== HEADER_LEN) return bad('bad-reply', `header StructureSize ${structureSize}, expected 64`);
  const command = msg.readUInt16LE(12);
  if (command !== CMD_NEGOTIATE) return bad('bad-reply', `reply is for command ${command}, not NEGOTIATE (0)`);
  if ((msg.readUInt32LE(16) & FLAGS_SERVER_TO_REDIR) === 0) return bad('bad-reply', 'reply lacks the server-to-client flag');
  if (msg.readBigUInt64LE(24) !== 0n) return bad('bad-reply', `reply carries MessageId ${msg.readBigUInt64LE(24)}, not our 0`);
  const status = msg.readUInt32LE(8);
  if (status !== 0) return bad('status', `NEGOTIATE failed with status ${hex(status, 8)}`);
  if (msg.length < HEADER_LEN + REPLY_BODY_LEN) {
    return bad('short', `reply of ${msg.length} bytes is shorter than a NEGOTIATE reply (${HEADER_LEN + REPLY_BODY_LEN})`);
  }
  const body = msg.subarray(HEADER_LEN);
  const bodySize = body.readUInt16LE(0);
  if (bodySize !== 65) return bad('bad-reply', `NEGOTIATE reply StructureSize ${bodySize}, expected 65`);
  const code = body.readUInt16LE(4);
  if (!(DIALECTS as readonly number[]).includes(code)) return bad('bad-reply', `server chose dialect ${hex(code, 4)}, which we did not offer`);
  const ticks = body.readBigUInt64LE(40);
  if (ticks === 0n) return bad('no-clock', 'reply carries no SystemTime (0)');
  return { ok: true, dialect: dialectName(code), systemTimeMs: filetimeToUnixMs(ticks) };
}

// Like sntp.ts, imported by context.ts only when a clock is read: node:crypto stays out of start-up.
export function smb2Time(host: string, port: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Smb2TimeResult> {
  const server = `${host}:${port}`;
  const fail = (msg: string, code: string) => new ProbeError(`SMB2 ${server}: ${msg}`, code);

  let connectedAfterMs: number | undefined;
  let received = 0;
  /** Length announced by the prefix, once 4 bytes are in. */
  let expected: number | undefined;
  const timeoutError = () =>
    fail(
      connectedAfterMs === undefined
        ? `no connection within ${opts.timeoutMs} ms (filtered or host down)`
        : `no complete reply within ${opts.timeoutMs} ms (connected after ${connectedAfterMs.toFixed(0)} ms, ` +
            `${received ? `got ${received} of ${expected === undefined ? 'an unknown number of' : 4 + expected} bytes` : 'got nothing'})`,
      'timeout',
    );
  const bound = { label: `SMB2 ${server}`, timeoutMs: opts.timeoutMs, signal: opts.signal, timeoutError, abortError: () => fail('aborted', 'aborted') };

  return bounded<Smb2TimeResult>(bound, (settle, onCleanup) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return settle.reject(fail(`invalid TCP port ${port}`, 'error'));
    const started = monotonicMs();
    const socket: Socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let t1 = 0;
    let t4 = 0;
    const finish = (outcome: Smb2TimeResult | ProbeError): void => (outcome instanceof ProbeError ? settle.reject(outcome) : settle.resolve(outcome));

    // Settle once the socket is closed, so a caller that looks for open handles sees none.
    onCleanup(() => {
      socket.removeAllListeners('data');
      socket.on('error', () => {});
      if (socket.closed) return undefined;
      return new Promise<void>((closed) => {
        // 'close' follows destroy() within a tick or two; the fallback only guards the time bound.
        const fallback = setTimeout(closed, 100);
        socket.once('close', () => (clearTimeout(fallback), closed()));
        socket.destroy();
      });
    });

    socket.once('connect', () => {
      connectedAfterMs = monotonicMs() - started;
      t1 = nowMs();
      socket.write(encodeNegotiateRequest(randomBytes(16)));
    });

    socket.on('data', (chunk: Buffer) => {
      if (t4 === 0) t4 = nowMs();
      // Keep no more than one frame, whatever the peer streams.
      const want = (expected === undefined ? 4 : 4 + expected) - received;
      const part = chunk.length > want ? chunk.subarray(0, want) : chunk;
      chunks.push(part);
      received += part.length;
      if (expected === undefined && received >= 4) {
        const prefix = Buffer.concat(chunks);
        const type = prefix[0] ?? 0;
        expected = prefix.readUInt32BE(0) & 0xffffff;
        // Refuse at once: waiting for megabytes would only burn the budget.
        if (type !== 0) return finish(fail(`not an SMB2 frame (first byte ${hex(type, 2)}, expected 0x00)`, 'bad-magic'));
        if (expected > MAX_REPLY_LEN) return finish(fail(`reply announces ${expected} bytes (more than ${MAX_REPLY_LEN})`, 'too-large'));
        if (expected === 0) return finish(fail('empty reply (length prefix 0)', 'short'));
        if (chunk.length > want) {
          // The rest of this chunk belongs to the frame just announced.
          const more = chunk.subarray(want, want + expected);
          chunks.push(more);
          received += more.length;
        }
      }
      if (expected === undefined || received < 4 + expected) return;

      const reply = decodeNegotiateReply(Buffer.concat(chunks).subarray(4));
      if (!reply.ok) return finish(fail(reply.why, reply.code));
      const delayMs = t4 - t1;
      finish({
        offsetMs: reply.systemTimeMs - (t1 + t4) / 2,
        delayMs,
        errorMs: delayMs / 2 + SERVER_RESOLUTION_MS,
        serverTime: new Date(reply.systemTimeMs),
        dialect: reply.dialect,
        server,
      });
    });

    socket.once('end', () => {
      const why =
        received === 0
          ? 'connection closed before any reply (not an SMB2 server, or it refuses us)'
          : expected === undefined
            ? `connection closed after ${received} bytes, inside the length prefix`
            : `connection closed after ${received} of ${4 + expected} bytes`;
      finish(fail(why, 'closed'));
    });

    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      if (code === 'ECONNREFUSED') return finish(fail('connection refused (nothing listens, or a firewall rejects)', 'refused'));
      if (code === 'ECONNRESET') return finish(fail(`connection reset after ${received} bytes of reply`, 'reset'));
      if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return finish(fail('no route to host', 'unreachable'));
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return finish(fail(`cannot resolve ${host}`, 'dns'));
      finish(fail(err.message, code));
    });
  });
}
