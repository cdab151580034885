import { connect, type Socket } from 'node:net';
import { randomInt, timingSafeEqual } from 'node:crypto';
import { bounded } from '../util/bounded.js';
import { ProbeError } from '../util/errors.js';
import { monotonicMs } from '../util/elapsed.js';
import {
  HEADER_SIZE,
  MAX_HEADER_SIZE,
  OP,
  OP_NAMES,
  PROTOCOL_VERSION,
  RESULT,
  type WireError,
  decodeMessage,
  encodeMessage,
  makeSigner,
  printable,
  readUint32,
  startupBytes,
  uint32Value,
  type DecodedMessage,
  type Message,
  type Signer,
  type Values,
} from './omapi-wire.js';

import { failoverStateFrom, type FailoverState } from './omapi-failover-state.js';

export { FAILOVER_STATES, type FailoverState, type FailoverStateName } from './omapi-failover-state.js';

/** An OMAPI key as dhcpd.conf declares it; `secret` is the decoded base64 of its `secret`. */
export interface OmapiKey {
  name: string;
  /** "hmac-md5" (dhcpd's omapi-key default), "hmac-sha256", ... or the full "HMAC-MD5.SIG-ALG.REG.INT." */
  algorithm: string;
  secret: Buffer;
}

export interface OmapiOptions {
  key?: OmapiKey;
  /** One budget for connect, startup, authentication and the open. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Refuse any message (or single length in it) beyond this; default 64 KiB. */
  maxMessageBytes?: number;
}

export interface OmapiObjectRef {
  /** The object type, e.g. "failover-state", "lease", "host". */
  type: string;
  /** Looks the object up by its `name` value (failover-state, host, group). */
  name?: string;
  /** Other lookup values (e.g. "ip-address" for a lease); strings go as bytes, numbers as uint32. */
  keys?: Record<string, string | number | Buffer>;
}

export interface OmapiObject {
  /** The server's handle for the object (what a later refresh would name). */
  handle: number;
  /** The object's values as dhcpd sent them: integers are 4-byte big-endian. */
  values: Record<string, Buffer>;
  /** Whether the exchange was signed with a key (and the server's reply verified). */
  authenticated: boolean;
  /** "host:port" */
  server: string;
  elapsedMs: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** HMAC-SHA512, the longest signature dhcpd makes. */
export const MAX_AUTH_LEN = 64;

/** What may leave this client: one startup, and OPEN messages that can only look something up. */
export type Outgoing = { kind: 'startup' } | { kind: 'message'; message: Message };

const ALLOWED_MESSAGE_VALUES = new Set(['type']);

/**
 * The read-only allow-list, checked before a byte is written. An OPEN without `create`,
 * `update` or `exclusive` only looks an object up (omapip/message.c); every other op
 * (refresh, update, notify, status, delete) and every other message value is refused here. The
 * object values of such an OPEN are lookup keys: dhcpd applies them only when `create` or
 * `update` is set. Returns why a message is refused, or undefined when it may be sent.
 */
export function readOnlyViolation(out: Outgoing): string | undefined {
  if (out.kind === 'startup') return undefined;
  const m = out.message;
  if (m.op !== OP.open) return `op ${OP_NAMES[m.op] ?? m.op} is not open`;
  if (m.handle !== 0) return 'an open naming a handle';
  if (m.rid !== 0) return 'an open sent as a reply';
  for (const name of m.message.keys()) if (!ALLOWED_MESSAGE_VALUES.has(name)) return `message value "${name}"`;
  if (!m.message.has('type')) return 'an open without a type';
  return undefined;
}

const BAD_SIGNATURE = "the reply's signature does not verify with the key (not the server we hold the key of?)";

type Stage = 'connect' | 'startup' | 'authenticator' | 'object';
const WAITING_FOR: Record<Stage, string> = {
  connect: 'the TCP connection',
  startup: "the server's OMAPI startup",
  authenticator: 'the answer to the key',
  object: 'the object',
};

function text(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function lookupValues(ref: OmapiObjectRef): Values {
  const values: Values = new Map();
  if (ref.name !== undefined) values.set('name', text(ref.name));
  for (const [k, v] of Object.entries(ref.keys ?? {})) {
    values.set(k, typeof v === 'string' ? text(v) : typeof v === 'number' ? uint32Value(v) : v);
  }
  return values;
}

/**
 * Opens (looks up) one object over OMAPI and returns its values, signing in first when a key
 * is given. Sends nothing that could change the server (see readOnlyViolation).
 */
export function omapiOpen(host: string, port: number, opts: OmapiOptions & { object: OmapiObjectRef }): Promise<OmapiObject> {
  const server = `${host}:${port}`;
  const fail = (msg: string, code: string) => new ProbeError(`OMAPI ${server}: ${msg}`, code);
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const key = opts.key;

  let stage: Stage = 'connect';
  const timeoutError = () => fail(`no answer within ${opts.timeoutMs} ms (waiting for ${WAITING_FOR[stage]})`, 'timeout');
  const bound = { label: `OMAPI ${server}`, timeoutMs: opts.timeoutMs, signal: opts.signal, timeoutError };

  return bounded<OmapiObject>(bound, (settle, onCleanup) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return settle.reject(fail(`invalid TCP port ${port}`, 'error'));
    let signer: Signer | undefined;
    if (key) {
      signer = makeSigner(key.algorithm, key.secret);
      if (!signer) return settle.reject(fail(`unsupported key algorithm "${printable(key.algorithm)}"`, 'error'));
    }
    const started = monotonicMs();
    let buffered = Buffer.alloc(0);
    let headerSize = HEADER_SIZE;
    let authHandle = 0;
    let tid = randomInt(1, 2 ** 31);
    let pendingTid = 0;
    const socket: Socket = connect({ host, port });
    onCleanup(() => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
    });
    const finish = (outcome: OmapiObject | ProbeError): void => (outcome instanceof ProbeError ? settle.reject(outcome) : settle.resolve(outcome));

    /** The only way bytes leave: through the allow-list. */
    function send(out: Outgoing): void {
      const refused = readOnlyViolation(out);
      if (refused) return finish(fail(`refusing to send ${refused}: this client is read-only`, 'read-only'));
      socket.write(out.kind === 'startup' ? startupBytes() : encodeMessage(out.message, out.message.authid ? signer : undefined));
    }

    function sendOpen(type: string, object: Values, authid: number): void {
      pendingTid = tid++;
      send({ kind: 'message', message: { authid, op: OP.open, handle: 0, tid: pendingTid, rid: 0, message: new Map([['type', text(type)]]), object } });
    }

    function statusError(reply: DecodedMessage): ProbeError {
      const result = readUint32(reply.message.get('result'));
      const said = reply.message.get('message');
      const words = said ? ` ("${printable(said.toString('latin1'))}")` : '';
      const keyName = key ? `"${printable(key.name)}"` : '';
      if (result === RESULT.invalidKey) return fail(`the server refused the key ${keyName} (wrong secret)${words}`, 'invalid-key');
      if (result === RESULT.noKeys) {
        return key
          ? fail(`the server did not accept the key ${keyName}${words}`, 'invalid-key')
          : fail(`the server requires an OMAPI key (omapi-key is set) and none was given${words}`, 'key-required');
      }
      if (result === RESULT.keyUnknown) return fail(`the server does not know the key ${keyName}${words}`, 'invalid-key');
      if (result === RESULT.notFound && stage === 'authenticator') {
        return fail(`the server has no key ${keyName} with algorithm ${signer?.algorithm ?? ''}${words}`, 'invalid-key');
      }
      if (result === RESULT.notFound) {
        const which = opts.object.name !== undefined ? ` named "${printable(opts.object.name)}"` : '';
        return fail(`no ${printable(opts.object.type)} object${which} on the server${words}`, 'not-found');
      }
      return fail(`the server answered status ${result ?? 'without a result'}${words}`, 'status');
    }

    function verified(reply: DecodedMessage): boolean {
      if (!signer) return reply.authid === 0;
      if (reply.authid !== authHandle || reply.signature.length !== signer.length) return false;
      return timingSafeEqual(signer.sign(reply.signed), reply.signature);
    }

    function onMessage(reply: DecodedMessage): void {
      if (reply.rid !== pendingTid) return finish(fail(`protocol error: a reply to message ${reply.rid}, expected ${pendingTid}`, 'garbage'));
      if (reply.op === OP.status) {
        // dhcpd signs a status when it knew the key; an unsigned one (e.g. DHCP_R_INVALIDKEY) cannot be.
        if (reply.authid !== 0 && !verified(reply)) return finish(fail(BAD_SIGNATURE, 'bad-signature'));
        return finish(statusError(reply));
      }
      if (reply.op !== OP.update) return finish(fail(`protocol error: op ${OP_NAMES[reply.op] ?? reply.op} in reply to an open`, 'garbage'));
      if (stage === 'authenticator') {
        // The update naming the key's handle: later messages carry it as their authid.
        if (reply.handle === 0) return finish(fail('protocol error: the key was accepted without a handle', 'garbage'));
        authHandle = reply.handle;
        stage = 'object';
        return sendOpen(opts.object.type, lookupValues(opts.object), authHandle);
      }
      if (!verified(reply)) return finish(fail(BAD_SIGNATURE, 'bad-signature'));
      finish({
        handle: reply.handle,
        values: Object.fromEntries(reply.object),
        authenticated: signer !== undefined,
        server,
        elapsedMs: monotonicMs() - started,
      });
    }

    function onStartup(version: number, size: number): void {
      if (version !== PROTOCOL_VERSION) {
        // A small number is another OMAPI version; anything else is some other protocol's bytes.
        if (version < 0x10000) return finish(fail(`the server speaks OMAPI protocol version ${version}, this client ${PROTOCOL_VERSION}`, 'version'));
        return finish(fail(`not an OMAPI server: it began with ${buffered.subarray(0, 8).toString('hex')}`, 'garbage'));
      }
      if (size < HEADER_SIZE || size > MAX_HEADER_SIZE) return finish(fail(`not an OMAPI server: header size ${size}`, 'garbage'));
      headerSize = size;
      if (signer && key) {
        stage = 'authenticator';
        sendOpen(
          'authenticator',
          new Map([
            ['name', text(key.name)],
            ['algorithm', text(signer.algorithm)],
          ]),
          0,
        );
      } else {
        stage = 'object';
        sendOpen(opts.object.type, lookupValues(opts.object), 0);
      }
    }

    function onData(chunk: Buffer): void {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 'startup') {
        if (buffered.length < 8) return;
        onStartup(buffered.readUInt32BE(0), buffered.readUInt32BE(4));
        buffered = buffered.subarray(8);
        if (settle.settled) return;
      }
      // Nothing may arrive while we have not asked anything: only replies are expected.
      while (!settle.settled && buffered.length > 0) {
        let reply: DecodedMessage | undefined;
        try {
          reply = decodeMessage(buffered, { maxMessageBytes, maxAuthLen: MAX_AUTH_LEN, headerSize });
        } catch (err) {
          const e = err as WireError;
          return finish(fail(`${e.tooLarge ? 'refused' : 'garbage'}: ${e.message}`, e.tooLarge ? 'too-large' : 'garbage'));
        }
        if (!reply) {
          if (buffered.length > maxMessageBytes) return finish(fail(`refused: message longer than ${maxMessageBytes} bytes`, 'too-large'));
          return;
        }
        buffered = buffered.subarray(reply.length);
        onMessage(reply);
      }
    }

    socket.once('connect', () => {
      stage = 'startup';
      send({ kind: 'startup' });
    });
    socket.on('data', onData);
    socket.once('end', () =>
      finish(
        fail(
          `the server closed the connection while we waited for ${WAITING_FOR[stage]}${buffered.length ? ` (${buffered.length} bytes of a message unread)` : ''}`,
          'closed',
        ),
      ),
    );
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      if (code === 'ECONNREFUSED') return finish(fail('connection refused (nothing listens on that port)', 'refused'));
      if (code === 'ECONNRESET') return finish(fail(`connection reset while we waited for ${WAITING_FOR[stage]}`, 'reset'));
      if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return finish(fail('no route to host', 'unreachable'));
      finish(fail(code, 'error'));
    });
  });
}

/**
 * Reads dhcpd's `failover-state` object for one peer name. Not found means dhcpd has no failover
 * peer of that name, or was built without failover.
 */
export async function readFailoverState(
  host: string,
  port: number,
  opts: OmapiOptions & { peerName: string },
): Promise<FailoverState & { authenticated: boolean; elapsedMs: number }> {
  const { peerName, ...rest } = opts;
  let obj: OmapiObject;
  try {
    obj = await omapiOpen(host, port, { ...rest, object: { type: 'failover-state', name: peerName } });
  } catch (err) {
    if (err instanceof ProbeError && err.code === 'not-found') {
      throw new ProbeError(`${err.message}: dhcpd has no failover peer of that name (or was built without failover)`, 'not-found');
    }
    throw err;
  }
  const state = failoverStateFrom(obj.values, peerName);
  if (!state) throw new ProbeError(`OMAPI ${obj.server}: the failover-state object carries no 4-byte local-state and partner-state`, 'garbage');
  return { ...state, authenticated: obj.authenticated, elapsedMs: obj.elapsedMs };
}
