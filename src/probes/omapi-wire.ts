import { createHmac } from 'node:crypto';

// The OMAPI wire format of ISC dhcpd (omapip/protocol.c), all integers big-endian:
//   startup:  uint32 protocol version, uint32 header size (each side sends one first)
//   message:  uint32 authid, authlen, op, handle, tid, rid   (the 24-byte header)
//             message values, uint16 0, object values, uint16 0, authlen bytes of signature
//   value:    uint16 name length, name, uint32 value length, value
// The signature is an HMAC over everything after authid up to the signature itself: the
// receiver activates its key only once authid has been read (omapip/connection.c).

export const PROTOCOL_VERSION = 100;
export const HEADER_SIZE = 24;
/** A server may announce a longer header (the extra is skipped); beyond this it is not OMAPI. */
export const MAX_HEADER_SIZE = 1024;

export const OP = { open: 1, refresh: 2, update: 3, notify: 4, status: 5, delete: 6 } as const;
export type OpName = keyof typeof OP;
export const OP_NAMES: Record<number, OpName> = Object.fromEntries(Object.entries(OP).map(([k, v]) => [v, k as OpName]));

/** isc_result_t values dhcpd sends in a status message's `result` (includes/omapip/result.h, libisc). */
export const RESULT = {
  success: 0,
  notFound: 23,
  noKeys: 0x60000 + 9,
  keyUnknown: 0x60000 + 10,
  invalidKey: 0x60000 + 11,
} as const;

export type Values = Map<string, Buffer>;

export interface Message {
  authid: number;
  op: number;
  handle: number;
  tid: number;
  rid: number;
  message: Values;
  object: Values;
}

export interface DecodedMessage extends Message {
  signature: Buffer;
  /** The bytes the signature covers (authlen .. end of the object values). */
  signed: Buffer;
  /** Bytes of the input this message took. */
  length: number;
}

export function startupBytes(): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(PROTOCOL_VERSION, 0);
  b.writeUInt32BE(HEADER_SIZE, 4);
  return b;
}

export function uint32Value(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** A 4-byte value as dhcpd sends integers; undefined for any other size. */
export function readUint32(value: Buffer | undefined): number | undefined {
  return value && value.length === 4 ? value.readUInt32BE(0) : undefined;
}

function encodeValues(values: Values): Buffer[] {
  const parts: Buffer[] = [];
  for (const [name, value] of values) {
    const n = Buffer.from(name, 'utf8');
    if (n.length === 0 || n.length > 0xffff) throw new RangeError(`OMAPI value name of ${n.length} bytes`);
    const head = Buffer.alloc(2 + n.length + 4);
    head.writeUInt16BE(n.length, 0);
    n.copy(head, 2);
    head.writeUInt32BE(value.length, 2 + n.length);
    parts.push(head, value);
  }
  parts.push(Buffer.alloc(2));
  return parts;
}

/** The message without authid and signature: exactly what a signature covers. */
export function signedPart(m: Message, authlen: number): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt32BE(authlen, 0);
  head.writeUInt32BE(m.op, 4);
  head.writeUInt32BE(m.handle >>> 0, 8);
  head.writeUInt32BE(m.tid >>> 0, 12);
  head.writeUInt32BE(m.rid >>> 0, 16);
  return Buffer.concat([head, ...encodeValues(m.message), ...encodeValues(m.object)]);
}

export interface Signer {
  /** The algorithm name as dhcpd stores it, e.g. "hmac-md5.SIG-ALG.REG.INT.". */
  algorithm: string;
  length: number;
  sign(data: Buffer): Buffer;
}

const DIGESTS: Record<string, { digest: string; length: number }> = {
  'hmac-md5': { digest: 'md5', length: 16 },
  'hmac-sha1': { digest: 'sha1', length: 20 },
  'hmac-sha224': { digest: 'sha224', length: 28 },
  'hmac-sha256': { digest: 'sha256', length: 32 },
  'hmac-sha384': { digest: 'sha384', length: 48 },
  'hmac-sha512': { digest: 'sha512', length: 64 },
};

/**
 * dhcpd appends ".SIG-ALG.REG.INT." to an algorithm named without a dot (common/parse.c) and
 * compares case-insensitively, so "hmac-md5" and "HMAC-MD5.SIG-ALG.REG.INT." are one key type.
 */
export function normaliseAlgorithm(algorithm: string): string {
  const a = algorithm.trim();
  if (!a.includes('.')) return `${a}.SIG-ALG.REG.INT.`;
  return a.endsWith('.') ? a : `${a}.`;
}

/** undefined when the algorithm is not one dhcpd knows (omapip/isclib.c). */
export function makeSigner(algorithm: string, secret: Buffer): Signer | undefined {
  const full = normaliseAlgorithm(algorithm);
  const base = full.toLowerCase().replace(/\.sig-alg\.reg\.int\.$/, '');
  const d = DIGESTS[base];
  if (!d) return undefined;
  return { algorithm: full, length: d.length, sign: (data) => createHmac(d.digest, secret).update(data).digest() };
}

export function encodeMessage(m: Message, signer?: Signer): Buffer {
  const body = signedPart(m, signer ? signer.length : 0);
  const authid = uint32Value(m.authid);
  return Buffer.concat(signer ? [authid, body, signer.sign(body)] : [authid, body]);
}

/** Thrown for input that cannot be an OMAPI message; `tooLarge` for a length beyond the cap. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export interface DecodeLimits {
  /** Whole message, header to signature. */
  maxMessageBytes: number;
  maxAuthLen: number;
  headerSize: number;
}

/**
 * Decodes one message from the start of `buf`; undefined while more bytes are needed. Every length
 * is checked against the cap as soon as it is read, so a huge one fails without waiting for it.
 */
export function decodeMessage(buf: Buffer, limits: DecodeLimits): DecodedMessage | undefined {
  const { maxMessageBytes, maxAuthLen, headerSize } = limits;
  const need = (end: number): boolean => {
    if (end > maxMessageBytes) throw new WireError(`message longer than ${maxMessageBytes} bytes`, true);
    return end <= buf.length;
  };
  if (!need(headerSize)) return undefined;
  const authid = buf.readUInt32BE(0);
  const authlen = buf.readUInt32BE(4);
  const op = buf.readUInt32BE(8);
  if (!OP_NAMES[op]) throw new WireError(`unknown op ${op}`);
  if (authlen > maxAuthLen) throw new WireError(`signature of ${authlen} bytes (at most ${maxAuthLen})`, authlen > maxMessageBytes);
  let at = headerSize;
  const lists: Values[] = [];
  for (let list = 0; list < 2; list++) {
    const values: Values = new Map();
    for (;;) {
      if (!need(at + 2)) return undefined;
      const nlen = buf.readUInt16BE(at);
      at += 2;
      if (nlen === 0) break;
      if (!need(at + nlen + 4)) return undefined;
      const name = buf.toString('latin1', at, at + nlen);
      at += nlen;
      const vlen = buf.readUInt32BE(at);
      at += 4;
      if (!need(at + vlen)) return undefined;
      if (values.has(name)) throw new WireError(`value "${printable(name)}" twice`);
      values.set(name, Buffer.from(buf.subarray(at, at + vlen)));
      at += vlen;
    }
    lists.push(values);
  }
  const end = at + authlen;
  if (!need(end)) return undefined;
  return {
    authid,
    op,
    handle: buf.readUInt32BE(12),
    tid: buf.readUInt32BE(16),
    rid: buf.readUInt32BE(20),
    message: lists[0] ?? new Map(),
    object: lists[1] ?? new Map(),
    signature: Buffer.from(buf.subarray(at, end)),
    // Extra bytes of a longer announced header are skipped but still signed, as dhcpd reads them.
    signed: Buffer.from(buf.subarray(4, at)),
    length: end,
  };
}

/** For error texts: a name from the wire, with anything unprintable escaped and the length bounded. */
export function printable(s: string, max = 60): string {
  const clean = s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
