import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';

// A small, deliberately misbehaving LDAP server on 127.0.0.1 for the CLI tests. It speaks just
// enough LDAPv3 (BER) for the directory probe: StartTLS (ldap:// URLs upgrade first), simple
// bind, search. One behaviour per instance; 'honest' answers like a tiny AD so a baseline run
// shows what the other checks say.

export const LDAP_BEHAVIOURS = ['honest', 'silent', 'close-mid-bind', 'referral-loop', 'reference-loop', 'nested-10000', 'nested-busy', 'slow'] as const;
export type LdapBehaviour = (typeof LDAP_BEHAVIOURS)[number];

export const BASE_DN = 'DC=lab,DC=test';
export const CONFIG_DN = `CN=Configuration,${BASE_DN}`;
export const ADMIN_GROUP = `CN=DHCP Administrators,CN=Users,${BASE_DN}`;
export const USER_DN = `CN=dhcpadmin,CN=Users,${BASE_DN}`;
export const NESTED_GROUPS = 10_000;
/** Delay of every answer of the 'slow' server: each is within a 2 s per-operation timeout. */
export const SLOW_MS = 1500;

export interface HostileLdap {
  url: string;
  port: number;
  /** TCP connections accepted. */
  connections: number;
  /** Operations received, by name, in order. */
  ops: string[];
  /** Search requests received. */
  searches: number;
  close(): Promise<void>;
}

// ---- BER, just enough -------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const int = (tag: number, n: number): Buffer => {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
};
const str = (s: string, tag = 0x04): Buffer => tlv(tag, Buffer.from(s, 'utf8'));
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);

function message(id: number, op: Buffer, controls?: Buffer): Buffer {
  return seq(int(0x02, id), op, ...(controls ? [controls] : []));
}
/** LDAPResult components; `referrals` become the [3] referral field. */
function result(code: number, diag = '', referrals: string[] = []): Buffer[] {
  return [int(0x0a, code), str(''), str(diag), ...(referrals.length ? [tlv(0xa3, ...referrals.map((r) => str(r)))] : [])];
}
function entry(dn: string, attrs: Record<string, string[]>): Buffer {
  return tlv(0x64, str(dn), seq(...Object.entries(attrs).map(([k, vs]) => seq(str(k), set(...vs.map((v) => str(v)))))));
}
/** A paged-results response control carrying `cookie` (empty = last page). */
function pagedControl(cookie: string): Buffer {
  return tlv(0xa0, seq(str('1.2.840.113556.1.4.319'), tlv(0x04, seq(int(0x02, 0), str(cookie)))));
}

interface Parsed {
  id: number;
  tag: number;
  body: Buffer;
  raw: Buffer;
}

function readLength(buf: Buffer, at: number): { length: number; next: number } | undefined {
  const first = buf[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, next: at + 1 };
  const n = first & 0x7f;
  if (at + 1 + n > buf.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[at + 1 + i]!;
  return { length, next: at + 1 + n };
}

/** Splits a stream into LDAPMessages. */
function reader(onMessage: (m: Parsed) => void): (data: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (data) => {
    pending = Buffer.concat([pending, data]);
    for (;;) {
      const outer = readLength(pending, 1);
      if (!outer || outer.next + outer.length > pending.length) return;
      const raw = pending.subarray(0, outer.next + outer.length);
      pending = pending.subarray(raw.length);
      // messageID INTEGER, then the protocol op
      const idLen = readLength(raw, outer.next + 1)!;
      let id = 0;
      for (let i = 0; i < idLen.length; i++) id = id * 256 + raw[idLen.next + i]!;
      const opAt = idLen.next + idLen.length;
      const opLen = readLength(raw, opAt + 1)!;
      onMessage({ id, tag: raw[opAt]!, body: raw.subarray(opLen.next, opLen.next + opLen.length), raw });
    }
  };
}

const OPS: Record<number, string> = { 96: 'bind', 66: 'unbind', 99: 'search', 119: 'extended', 80: 'abandon' };

// ---- the server ---------------------------------------------------------------------------

export async function startHostileLdap(behaviour: LdapBehaviour, tls: { certFile: string; keyFile: string }): Promise<HostileLdap> {
  const context = createSecureContext({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  const sockets = new Set<Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { connections: 0, ops: [] as string[], searches: 0 };
  let port = 0;

  const server: Server = createServer((socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    let stream: Duplex = socket;
    const onData = reader((m) => handle(m));
    socket.on('data', onData);

    const send = (bytes: Buffer, then?: () => void) => {
      const write = () => {
        if (!stream.destroyed) stream.write(bytes);
        then?.();
      };
      if (behaviour !== 'slow') return write();
      const t = setTimeout(() => {
        timers.delete(t);
        write();
      }, SLOW_MS);
      timers.add(t);
    };

    function handle(m: Parsed): void {
      const op = OPS[m.tag] ?? `op 0x${m.tag.toString(16)}`;
      state.ops.push(op);
      if (behaviour === 'silent') return;
      switch (op) {
        case 'extended':
          // StartTLS: success, then the same TCP connection carries TLS.
          return send(message(m.id, tlv(0x78, ...result(0), str('1.3.6.1.4.1.1466.20037', 0x8a))), () => {
            socket.off('data', onData);
            const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
            secure.on('error', () => {});
            secure.on('data', onData);
            sockets.add(secure);
            stream = secure;
          });
        case 'bind':
          if (behaviour === 'close-mid-bind') {
            // The first bytes of a BindResponse, then the connection goes away.
            stream.write(message(m.id, tlv(0x61, ...result(0))).subarray(0, 5));
            return void setImmediate(() => {
              stream.destroy();
              socket.destroy();
            });
          }
          return send(message(m.id, tlv(0x61, ...result(0))));
        case 'unbind':
          return void stream.end();
        case 'search':
          state.searches++;
          return search(m);
        default:
          return;
      }
    }

    function search(m: Parsed): void {
      const text = m.raw.toString('latin1');
      const baseLen = readLength(m.body, 1)!;
      const base = m.body.subarray(baseLen.next, baseLen.next + baseLen.length).toString('utf8');
      const done = (code: number, diag = '', referrals: string[] = [], controls?: Buffer) =>
        message(m.id, tlv(0x65, ...result(code, diag, referrals)), controls);
      const self = `ldap://127.0.0.1:${port}/${base || BASE_DN}`;

      if (behaviour === 'referral-loop') return send(done(10, 'go ask myself', [self]));
      if (base === '') {
        return send(Buffer.concat([message(m.id, entry('', { defaultNamingContext: [BASE_DN], configurationNamingContext: [CONFIG_DN] })), done(0)]));
      }
      if (behaviour === 'reference-loop') {
        // Every page: a continuation reference to this very server, and a cookie for "more".
        return send(Buffer.concat([message(m.id, tlv(0x73, str(self))), done(0, '', [], pagedControl('again'))]));
      }
      const paged = text.includes('1.2.840.113556.1.4.319') ? pagedControl('') : undefined;
      if (text.includes('1.2.840.113556.1.4.1941')) {
        if (behaviour === 'nested-busy') return; // still walking ten thousand groups
        // In chain: yes. And a hostile extra: every one of the 10 000 nested groups in memberOf,
        // though the client asked for no attributes (1.1).
        const memberOf = behaviour === 'nested-10000' ? Array.from({ length: NESTED_GROUPS }, (_, i) => `CN=Nested ${i},CN=Users,${BASE_DN}`) : [ADMIN_GROUP];
        return send(Buffer.concat([message(m.id, entry(USER_DN, { memberOf })), done(0)]));
      }
      if (text.includes('memberOf')) {
        // The direct-membership read: a member only when honest.
        return send(behaviour === 'honest' ? Buffer.concat([message(m.id, entry(USER_DN, {})), done(0)]) : done(0));
      }
      if (text.includes('computer') || base.startsWith('CN=DhcpRoot')) return send(done(base.startsWith('CN=DhcpRoot') ? 32 : 0, '', [], paged));
      if (text.includes('group')) return send(Buffer.concat([message(m.id, entry(ADMIN_GROUP, {})), done(0, '', [], paged)]));
      if (text.includes('sAMAccountName') || text.includes('userPrincipalName') || base === USER_DN) {
        return send(Buffer.concat([message(m.id, entry(USER_DN, {})), done(0, '', [], paged)]));
      }
      return send(done(32, 'no such object'));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve();
    });
  });
  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    get ops() {
      return state.ops;
    },
    get searches() {
      return state.searches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
