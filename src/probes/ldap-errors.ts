import { ProbeError } from '../util/errors.js';

// Turns whatever ldapts, net or tls threw into one ProbeError line a human can act on. The
// password is scrubbed from every message, including text that came from the server or ldapts.

export type LdapPhase = 'connect' | 'starttls' | 'bind' | 'search';

export interface ErrorContext {
  phase: LdapPhase;
  /** host:port, for messages. */
  endpoint: string;
  bindIdentity?: string;
  password?: string;
  timeoutMs: number;
}

/** AD's "data <hex>" sub-codes of result 49 (AcceptSecurityContext). */
const BIND_DATA: Record<string, string> = {
  '525': 'no such user',
  '52e': 'wrong password or unknown user',
  '530': 'logon not permitted at this time',
  '531': 'logon not permitted from this workstation',
  '532': 'password expired',
  '533': 'account disabled',
  '701': 'account expired',
  '773': 'password must be changed',
  '775': 'account locked out',
  '80090346': 'LDAP channel binding token missing or wrong',
};

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export function scrub(text: string, password: string | undefined): string {
  const oneLine = text.replace(/\s*[\r\n]+\s*/g, '; ').trim();
  if (!password) return oneLine;
  return oneLine.split(password).join('***');
}

function describe(err: unknown): { message: string; code?: string | number; name: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      message: err.message,
      name: err.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  return { message: String(err), name: 'Error' };
}

function classify(err: unknown, ctx: ErrorContext): ProbeError {
  if (err instanceof ProbeError) return err;
  const { message, code, name } = describe(err);
  // ldapts appends " Code: 0x31" to the server's diagnostic text; the number is said in words.
  const text = message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, '');
  const as = ctx.bindIdentity ? ` as ${ctx.bindIdentity}` : '';

  if (typeof code === 'number') {
    if (code === 49) {
      const data = /\bdata ([0-9a-f]+)/i.exec(text)?.[1]?.toLowerCase();
      const why = data ? `, data ${data}${BIND_DATA[data] ? `: ${BIND_DATA[data]}` : ''}` : '';
      return new ProbeError(`LDAP bind${as} to ${ctx.endpoint} rejected: invalid credentials (49${why})`, 'invalid-credentials');
    }
    if (code === 8 || code === 13) {
      return new ProbeError(`${ctx.endpoint} requires strong authentication (${code}): use ldaps:// or StartTLS (an ldap:// URL)`, 'strong-auth-required');
    }
    if (ctx.phase === 'starttls') {
      return new ProbeError(`StartTLS refused by ${ctx.endpoint} (${code}): ${text}; try ldaps://`, 'tls');
    }
    return new ProbeError(`LDAP ${ctx.phase} on ${ctx.endpoint} failed (${code}): ${text}`, 'protocol');
  }

  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ProbeError(`TLS certificate of ${ctx.endpoint} is for another name: ${text} (${code}); give --ldap a host name the certificate lists`, 'tls');
  }
  if (typeof code === 'string' && TLS_VERIFY_CODES.has(code)) {
    return new ProbeError(
      `TLS certificate of ${ctx.endpoint} not trusted: ${text} (${code}); pass the DC's CA certificate with --ldap-ca (or --ldap-insecure, labs only)`,
      'tls',
    );
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new ProbeError(`LDAP server ${ctx.endpoint} unreachable: ${text}`, 'unreachable');
  }
  if (/^Connection timeout$/.test(text) || code === 'ETIMEDOUT') {
    return new ProbeError(`LDAP server ${ctx.endpoint} unreachable: no connection within ${ctx.timeoutMs} ms`, 'unreachable');
  }
  if (/Operation timed out/.test(text)) {
    return new ProbeError(`LDAP ${ctx.phase} on ${ctx.endpoint} got no answer within ${ctx.timeoutMs} ms`, 'timeout');
  }
  if (ctx.phase === 'starttls' || (ctx.phase === 'connect' && (/^ERR_SSL_|^ERR_TLS_/.test(String(code)) || code === 'ECONNRESET'))) {
    return new ProbeError(`TLS with ${ctx.endpoint} failed: ${text}${code ? ` (${code})` : ''}`, 'tls');
  }
  return new ProbeError(`LDAP ${ctx.phase} on ${ctx.endpoint} failed: ${name}: ${text}`, 'protocol');
}

export function toProbeError(err: unknown, ctx: ErrorContext): ProbeError {
  const probe = classify(err, ctx);
  const clean = scrub(probe.message, ctx.password);
  return clean === probe.message ? probe : new ProbeError(clean, probe.code);
}

/** An LDAP result code (a server's "no" to one operation) rather than a transport failure. */
export function isResultCodeError(err: unknown): err is Error & { code: number } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'number';
}
