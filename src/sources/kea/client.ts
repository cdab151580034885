import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { KeaOptions } from '../../plan.js';
import { readGuarded, type InputDeadline } from '../../util/read-guarded.js';
import { redactUserinfo } from '../../util/redact.js';
import { bounded } from '../../util/bounded.js';
import { InputError, ProbeError } from '../../util/errors.js';

// The only place that speaks HTTP to a Kea Control Agent. Nothing here may ever change a server:
// every command is checked against this one list before a socket is opened.

/** Read-only commands; no other command is ever sent to a Kea server. */
export const ALLOWED_COMMANDS = ['version-get', 'status-get', 'config-get', 'list-commands', 'ha-heartbeat'] as const;
export type KeaCommand = (typeof ALLOWED_COMMANDS)[number];

/** A full config-get of a large server is a few MiB; anything bigger is not a Kea reply we want. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** Kea result codes. */
export const KEA_RESULT = { ok: 0, error: 1, unsupported: 2, empty: 3 } as const;

/** The agent refused our credentials (HTTP 401 or 403); the permissions check reports it. */
export class KeaAuthError extends ProbeError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, 'unauthorized');
  }
}

export interface KeaEntry {
  result: number;
  text?: string;
  arguments?: unknown;
}

export interface KeaReply {
  /** One entry per service the command went to (one for the agent itself). */
  entries: KeaEntry[];
  status: number;
  /** The HTTP Date header: the agent's clock, truncated to the second. */
  date?: { text: string; ms: number };
  /** This machine's clock (ms since epoch, sub-ms) just before sending and when headers arrived. */
  sentAt: number;
  receivedAt: number;
}

export interface KeaCommandOptions extends KeaOptions {
  /** Bound on the whole exchange: connect, request, complete reply. */
  timeoutMs: number;
  /** Bound on the TCP (and TLS) connect alone; defaults to timeoutMs. */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** Services the agent forwards to; [] asks the agent itself. Default ['dhcp4']. */
  service?: readonly string[];
  /** PEM CA bundle already read; otherwise caFile is read. */
  ca?: string | Buffer;
  /**
   * Kea's HA listener: TLS even on an http:// URL (Kea speaks TLS wherever its TLS files are set),
   * this client certificate and key, and, as Kea's own HA client, the chain checked but not the name.
   */
  haTls?: { cert?: Buffer; key?: Buffer };
  maxBytes?: number;
}

/** The URL a user gave, parsed, and the form that may be shown (no userinfo). */
export function agentUrl(text: string): { url: URL; display: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`Kea Control Agent URL is not a URL: ${JSON.stringify(redactUserinfo(text))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`Kea Control Agent URL must be http:// or https://, got ${JSON.stringify(url.protocol)}`);
  }
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return { url, display: shown.href };
}

/** Reads a CA bundle, as a user error when the file is unreadable. */
export async function readCa(caFile: string, deadline: InputDeadline): Promise<Buffer> {
  return (await readGuarded(caFile, { purpose: 'secret', label: '--kea-ca', ...deadline })).bytes;
}

// config-get returns peers' basic-auth-password and the agent's client passwords in clear text.
// The reviver drops them while the JSON is being parsed, so no parsed object ever holds one.
const SECRET_KEY = /password|secret/i;
function dropSecrets(key: string, value: unknown): unknown {
  return SECRET_KEY.test(key) ? undefined : value;
}

const now = (): number => performance.timeOrigin + performance.now();

/** Sends one allow-listed command to a Kea Control Agent and returns its parsed reply. */
export function keaCommand(url: string, command: string, opts: KeaCommandOptions): Promise<KeaReply> {
  if (!(ALLOWED_COMMANDS as readonly string[]).includes(command)) {
    // A programming error, not a user one: refuse before anything touches the network.
    return Promise.reject(new ProbeError(`Kea command ${JSON.stringify(command)} is not in the read-only allow-list`, 'not-allowed'));
  }
  let target: { url: URL; display: string };
  try {
    target = agentUrl(url);
  } catch (err) {
    return Promise.reject(err);
  }
  // TLS for an https agent, or for an HA listener whose peers speak TLS (its URL says http).
  if (target.url.protocol !== 'https:' && !opts.haTls) return send(target, command, opts, undefined);
  if (opts.ca !== undefined || opts.caFile === undefined) return send(target, command, opts, opts.ca);
  return readCa(opts.caFile, { timeoutMs: opts.timeoutMs, signal: opts.signal }).then((ca) => send(target, command, opts, ca));
}

function send(target: { url: URL; display: string }, command: string, opts: KeaCommandOptions, ca: string | Buffer | undefined): Promise<KeaReply> {
  const { url, display } = target;
  const what = `Kea ${command} at ${display}`;
  const service = opts.service ?? ['dhcp4'];
  const body = JSON.stringify(service.length > 0 ? { command, service } : { command });
  const headers: OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    Accept: 'application/json',
  };
  if (opts.user !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}`;
  }
  const maxBytes = opts.maxBytes ?? MAX_REPLY_BYTES;
  const isHttps = url.protocol === 'https:' || opts.haTls !== undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;

  const timeoutError = () => new ProbeError(`${what}: no complete reply within ${opts.timeoutMs} ms`, 'timeout');
  return bounded<KeaReply>({ label: what, timeoutMs: opts.timeoutMs, signal: opts.signal, timeoutError }, (settle, onCleanup) => {
    const sentAt = now();
    const req = (isHttps ? httpsRequest : httpRequest)({
      host,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      // A fresh socket per command: no keep-alive pool outlives the run.
      agent: false,
      ...(isHttps ? { ca, rejectUnauthorized: true } : {}),
      ...(opts.haTls ? { cert: opts.haTls.cert, key: opts.haTls.key, checkServerIdentity: () => undefined } : {}),
    });

    const connectMs = Math.min(opts.connectTimeoutMs ?? opts.timeoutMs, opts.timeoutMs);
    const connect = setTimeout(() => finish(new ProbeError(`${what}: no connection within ${connectMs} ms (host down or filtered)`, 'timeout')), connectMs);
    let replied = false;
    onCleanup(() => {
      clearTimeout(connect);
      // A complete reply leaves nothing to tear down: the socket closes with it (no keep-alive).
      if (!replied) req.destroy();
    });

    function finish(outcome: KeaReply | Error): void {
      if (settle.settled) return;
      if (outcome instanceof Error) return settle.reject(outcome);
      replied = true;
      settle.resolve(outcome);
    }

    req.on('socket', (socket: Socket) => {
      const connected = () => clearTimeout(connect);
      if (!socket.connecting) connected();
      else socket.once(isHttps ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(connectionError(what, err)));
    req.on('response', (res: IncomingMessage) => {
      const receivedAt = now();
      clearTimeout(connect);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = res.headers.location;
        let where = 'no Location';
        if (location) {
          try {
            where = `host ${new URL(location, url).host}`;
          } catch {
            where = 'an unparsable Location';
          }
        }
        return finish(new ProbeError(`${what}: redirected (HTTP ${status}) to ${where}; redirects are not followed`, 'bad-reply'));
      }
      if (status === 401 || status === 403) {
        const why = status === 401 ? 'Unauthorized (credentials missing or wrong)' : 'Forbidden (these credentials may not run it)';
        return finish(new KeaAuthError(`${what}: HTTP ${status} ${why}`, status));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        return finish(new ProbeError(`${what}: reply of ${declared} bytes exceeds the ${maxBytes}-byte cap`, 'bad-reply'));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          finish(new ProbeError(`${what}: reply exceeds the ${maxBytes}-byte cap`, 'bad-reply'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('aborted', () => finish(new ProbeError(`${what}: connection closed mid-reply`, 'unreachable')));
      res.on('error', (err: NodeJS.ErrnoException) => finish(connectionError(what, err)));
      res.on('end', () => {
        if (settle.settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        const dateText = res.headers.date;
        const dateMs = dateText === undefined ? NaN : Date.parse(dateText);
        const date = dateText !== undefined && Number.isFinite(dateMs) ? { text: dateText, ms: dateMs } : undefined;
        try {
          const entries = parseReply(text, status, res.headers['content-type']);
          finish({ entries, status, sentAt, receivedAt, ...(date ? { date } : {}) });
        } catch (err) {
          finish(err instanceof ProbeError ? new ProbeError(`${what}: ${err.message}`, err.code) : (err as Error));
        }
      });
    });

    req.end(body);
  });
}

/** The reply entries, or a 'bad-reply' ProbeError that says what was wrong (never echoing the body). */
function parseReply(text: string, status: number, contentType: string | undefined): KeaEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text, dropSecrets);
  } catch {
    throw new ProbeError(`HTTP ${status} reply is not JSON (${Buffer.byteLength(text)} bytes, content-type ${contentType ?? 'none'})`, 'bad-reply');
  }
  if (status < 200 || status > 299) {
    const detail = isRecord(json) && typeof json.text === 'string' ? `: ${json.text.slice(0, 200)}` : '';
    throw new ProbeError(`HTTP ${status}${detail}`, 'bad-reply');
  }
  if (!Array.isArray(json)) {
    throw new ProbeError(`reply is ${describe(json)}, expected a list of results`, 'bad-reply');
  }
  if (json.length === 0) throw new ProbeError('reply is an empty list', 'bad-reply');
  return json.map((entry: unknown, i): KeaEntry => {
    if (!isRecord(entry)) throw new ProbeError(`reply entry ${i} is ${describe(entry)}, expected an object`, 'bad-reply');
    if (typeof entry.result !== 'number') throw new ProbeError(`reply entry ${i} has no numeric "result"`, 'bad-reply');
    if (entry.text !== undefined && typeof entry.text !== 'string') {
      throw new ProbeError(`reply entry ${i} has a non-string "text"`, 'bad-reply');
    }
    const out: KeaEntry = { result: entry.result };
    if (typeof entry.text === 'string') out.text = entry.text;
    if (entry.arguments !== undefined) out.arguments = entry.arguments;
    return out;
  });
}

function connectionError(what: string, err: NodeJS.ErrnoException): ProbeError {
  const code = err.code ?? 'EUNKNOWN';
  if (/CERT|SELF_SIGNED|TLS|SSL|EPROTO|UNABLE_TO_/.test(code)) {
    return new ProbeError(`${what}: TLS failed (${code}); give the agent's CA with --kea-ca`, 'tls');
  }
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
  };
  return new ProbeError(`${what}: ${why[code] ?? code}`, 'unreachable');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
