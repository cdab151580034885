import { readGuardedSync } from '../../util/read-guarded.js';
import type { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ServerFacts, ServerVersion } from '../../facts.js';
import type { KeaHaRelationship, KeaHaStatus, KeaPeer } from '../../sources/kea/types.js';
import type { Pair, PairFinding } from '../types.js';
import { matchPair, ownPeer, relationshipsOf, urlHostPort } from './pairing.js';

// Rules no one side's configuration can break alone: two Kea servers, each valid, that will not
// form a pair (or will form one that loses updates). Each finding has its own stable code, the
// evidence from both sides, the fix, and the ISC source the rule comes from. The oracle test
// (test/integration/pair-oracle.test.ts) starts the real pair for every rule and holds the
// verdict to what the servers do.

type Side = 'local' | 'partner';
interface Sided {
  side: Side;
  facts: ServerFacts;
  rel: KeaHaRelationship;
}

/** HA states in which the pair serves as configured. */
const OPERATING = new Set(['hot-standby', 'load-balancing', 'passive-backup', 'backup']);
/** Documented transitions on the way to an operating state: warn, do not fail. */
const TRANSITION = new Set(['syncing', 'ready']);

/** Kea's defaults (ha_config.cc). */
const DEFAULT_HEARTBEAT_MS = 10000;
const DEFAULT_MAX_RESPONSE_MS = 60000;
const DEFAULT_MAX_ACK_MS = 10000;
const DEFAULT_MAX_UNACKED = 10;

/** Where the Debian, RPM and source-built packages put Kea's hook libraries. */
export const DEFAULT_HOOK_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kea/hooks',
  '/usr/lib/aarch64-linux-gnu/kea/hooks',
  '/usr/lib64/kea/hooks',
  '/usr/lib/kea/hooks',
  '/usr/local/lib/kea/hooks',
  '/usr/local/lib64/kea/hooks',
];

const at = (v: ServerVersion | undefined, major: number, minor: number, patch = 0) =>
  v === undefined ? undefined : v.major > major || (v.major === major && (v.minor > minor || (v.minor === minor && (v.build ?? 0) >= patch)));

const tlsFiles = (rel: KeaHaRelationship, p: KeaPeer | undefined) => ({
  ca: p?.trustAnchor ?? rel.trustAnchor,
  cert: p?.certFile ?? rel.certFile,
  key: p?.keyFile ?? rel.keyFile,
});
const has = (s: string | undefined): s is string => s !== undefined && s !== '';

/** A side uses TLS for HA when its own listener has TLS files (Kea: all or none). */
function tlsOn(s: Sided): boolean {
  const own = tlsFiles(s.rel, ownPeer(s.rel));
  return has(own.ca) && has(own.cert) && has(own.key);
}

function readCerts(path: string): { certs?: X509Certificate[]; error?: string } {
  try {
    // Guarded like every file read: a regular file under the secrets' cap; a directory (a hashed CA
    // folder), a FIFO or a device is an error here, never a hang.
    const text = readGuardedSync(path, { purpose: 'secret', label: 'TLS file' }).toString('utf8');
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (pems.length === 0) return { error: `${path} holds no PEM certificate` };
    // node:crypto only when a certificate is read: a plain run does not load it.
    const { X509Certificate: X509 } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
    return { certs: pems.map((p) => new X509(p)) };
  } catch (err) {
    return { error: `${path}: ${(err as Error).message}` };
  }
}

/** Whether the first certificate of `certFile` is issued and signed by one in `caFile`, and valid now. */
function verifies(certFile: string, caFile: string): { ok: boolean | undefined; why: string } {
  const c = readCerts(certFile);
  const a = readCerts(caFile);
  if (!c.certs) return { ok: undefined, why: c.error! };
  if (!a.certs) return { ok: undefined, why: a.error! };
  const cert = c.certs[0]!;
  const now = Date.now();
  if (Date.parse(cert.validTo) < now || Date.parse(cert.validFrom) > now)
    return { ok: false, why: `${certFile} is not valid now (${cert.validFrom} – ${cert.validTo})` };
  const issuer = a.certs.find((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
  return issuer
    ? { ok: true, why: `${certFile} is signed by ${issuer.subject.replace(/\n/g, ', ')}` }
    : { ok: false, why: `${certFile} (issuer ${cert.issuer.replace(/\n/g, ', ')}) is not signed by any certificate in ${caFile}` };
}

function tlsFindings(a: Sided, b: Sided): PairFinding[] {
  const out: PairFinding[] = [];
  const [ta, tb] = [tlsOn(a), tlsOn(b)];
  if (ta !== tb) {
    const [on, off] = ta ? [a, b] : [b, a];
    out.push({
      code: 'tls-one-side',
      level: 'fail',
      text: `TLS is configured on the ${on.side} server only: the ${on.side} server speaks TLS to a partner that answers plain HTTP, and the ${off.side} server's plain requests are refused by a TLS listener; the two never exchange a heartbeat`,
      evidence: [
        `${on.side}: trust-anchor, cert-file and key-file set for "${on.rel.thisServerName}"`,
        `${off.side}: no TLS files for "${off.rel.thisServerName}"`,
      ],
      fix: 'Configure TLS (trust-anchor, cert-file, key-file) on both servers, or on neither.',
      source: 'Kea ARM, "High Availability" > TLS/HTTPS support; Kea logs "wrong version number" and "End of file"',
    });
    return out;
  }
  if (!ta) return out;
  // Each direction: the caller's trust-anchor must accept the listener's certificate; with
  // require-client-certs (Kea's default: true) the listener's trust-anchor must accept the caller's.
  for (const [caller, listener] of [
    [a, b],
    [b, a],
  ] as const) {
    const callerFiles = tlsFiles(
      caller.rel,
      caller.rel.peers.find((p) => p.name === listener.rel.thisServerName),
    );
    const listenerFiles = tlsFiles(listener.rel, ownPeer(listener.rel));
    const server = verifies(listenerFiles.cert!, callerFiles.ca!);
    if (server.ok === false) {
      out.push({
        code: 'tls-untrusted',
        level: 'fail',
        text: `the ${caller.side} server does not trust the ${listener.side} server's certificate: ${server.why}`,
        evidence: [`${listener.side} cert-file ${listenerFiles.cert}`, `${caller.side} trust-anchor ${callerFiles.ca}`],
        fix: `Sign the ${listener.side} server's certificate with a CA in the ${caller.side} server's trust-anchor (or add its CA there).`,
        source: 'Kea ARM, "High Availability" > TLS/HTTPS support (trust-anchor, cert-file, require-client-certs)',
      });
    }
    if (listener.rel.requireClientCerts !== false) {
      const client = verifies(callerFiles.cert!, listenerFiles.ca!);
      if (client.ok === false) {
        out.push({
          code: 'tls-untrusted',
          level: 'fail',
          text: `the ${listener.side} server requires client certificates (require-client-certs) and does not trust the ${caller.side} server's: ${client.why}`,
          evidence: [`${caller.side} cert-file ${callerFiles.cert}`, `${listener.side} trust-anchor ${listenerFiles.ca}`],
          fix: `Sign the ${caller.side} server's certificate with a CA in the ${listener.side} server's trust-anchor, or set require-client-certs to false there.`,
          source: 'Kea ARM, "High Availability" > TLS/HTTPS support (require-client-certs, default true)',
        });
      }
    }
  }
  return out;
}

function versionFindings(a: Sided, b: Sided): PairFinding[] {
  const va = a.facts.version;
  const vb = b.facts.version;
  const [na, nb] = [at(va, 2, 7), at(vb, 2, 7)];
  if (na === undefined || nb === undefined || na === nb) return [];
  const [newer, older] = na ? [a, b] : [b, a];
  return [
    {
      code: 'versions-lose-updates',
      level: 'warn',
      text: `Kea ${newer.facts.version!.text} (${newer.side}) and ${older.facts.version!.text} (${older.side}) sit on both sides of the 2.7 lease-format change: the pair forms, but lease updates carrying a lease state the older server does not know are rejected there, so its lease database falls behind`,
      evidence: [`${a.side}: Kea ${va!.text}`, `${b.side}: Kea ${vb!.text}`],
      fix: 'Run the same Kea release on both servers; keep a mixed 2.6 / 3.0 pair only for the duration of a rolling upgrade.',
      source: 'Kea ChangeLog 2.7.x and ARM "Upgrading" notes for HA pairs (new lease states; run the same version on both peers)',
    },
  ];
}

function timers(rel: KeaHaRelationship) {
  return {
    heartbeat: rel.heartbeatDelayMs ?? DEFAULT_HEARTBEAT_MS,
    maxResponse: rel.maxResponseDelayMs ?? DEFAULT_MAX_RESPONSE_MS,
    maxAck: rel.maxAckDelayMs ?? DEFAULT_MAX_ACK_MS,
    maxUnacked: rel.maxUnackedClients ?? DEFAULT_MAX_UNACKED,
  };
}

function timerFindings(a: Sided, b: Sided): PairFinding[] {
  const out: PairFinding[] = [];
  for (const s of [a, b]) {
    const t = timers(s.rel);
    // The partner is declared unresponsive when no reply came for max-response-delay; heartbeats
    // go out every heartbeat-delay: at or below it the pair declares its healthy partner lost.
    if (s.rel.mode !== 'passive-backup' && t.maxResponse <= t.heartbeat) {
      out.push({
        code: 'timers-unsafe',
        level: 'warn',
        text: `the ${s.side} server's max-response-delay (${t.maxResponse} ms) is not above its heartbeat-delay (${t.heartbeat} ms): the pair forms, but between two heartbeats it reports its healthy partner's communication as interrupted`,
        evidence: [`${s.side} "${s.rel.thisServerName}": heartbeat-delay ${t.heartbeat}, max-response-delay ${t.maxResponse}`],
        fix: "Make max-response-delay several times heartbeat-delay (Kea's defaults: 10000 and 60000 ms).",
        source: 'Kea ARM, "High Availability" > load-balancing/hot-standby configuration (heartbeat-delay, max-response-delay)',
      });
    }
  }
  const ta = timers(a.rel);
  const tb = timers(b.rel);
  const differ = (['heartbeat', 'maxResponse', 'maxAck', 'maxUnacked'] as const).filter((k) => ta[k] !== tb[k]);
  if (differ.length > 0) {
    const names = { heartbeat: 'heartbeat-delay', maxResponse: 'max-response-delay', maxAck: 'max-ack-delay', maxUnacked: 'max-unacked-clients' };
    out.push({
      code: 'timers-differ',
      level: 'warn',
      text: `the two servers detect a failure differently: ${differ.map((k) => `${names[k]} ${ta[k]} here, ${tb[k]} on the partner`).join('; ')}`,
      evidence: differ.map((k) => `${names[k]}: local ${ta[k]}, partner ${tb[k]}`),
      fix: 'Give both servers the same heartbeat-delay, max-response-delay, max-ack-delay and max-unacked-clients.',
      source: 'Kea ARM, "High Availability": the peers\' HA configurations are meant to be identical but for this-server-name',
    });
  }
  return out;
}

/** Whether HA runs its own HTTP listener on the URL's port (2.4+ defaults: MT on, dedicated listener on). */
function dedicated(s: Sided): boolean | undefined {
  const v = s.facts.version;
  const mt = s.rel.multiThreading;
  const newDefaults = at(v, 2, 4) ?? true;
  const enabled = mt?.enableMultiThreading ?? newDefaults;
  const listener = mt?.httpDedicatedListener ?? newDefaults;
  return enabled && listener;
}

function listenerFindings(a: Sided, b: Sided): PairFinding[] {
  const out: PairFinding[] = [];
  const [da, db] = [dedicated(a), dedicated(b)];
  if (da !== undefined && db !== undefined && da !== db) {
    const [on, off] = da ? [a, b] : [b, a];
    const url = ownPeer(off.rel)?.url;
    const hp = url ? urlHostPort(url) : undefined;
    const agent = off.facts.kea?.agent;
    const agentThere = agent?.kind === 'control-agent' && hp !== undefined && agent.httpPort === hp.port;
    out.push({
      code: 'listener-mismatch',
      level: agentThere ? 'warn' : 'fail',
      text: `HA multi-threading differs: the ${on.side} server listens for HA on its URL's port itself (dedicated listener), the ${off.side} server needs a Control Agent on its URL's port (${url ?? '?'}) ${agentThere ? 'and has one there' : agent ? 'and none listens there: its partner never reaches it' : 'and none is known to listen there: unless one does, its partner never reaches it'}`,
      evidence: [
        `${on.side}: multi-threading with http-dedicated-listener`,
        `${off.side}: ${off.rel.multiThreading ? 'multi-threading or the dedicated listener off' : 'no multi-threading (Kea before 2.4, or set off)'}`,
      ],
      fix: 'Give both servers the same HA "multi-threading" settings; without a dedicated listener a Control Agent must listen on the URL\'s port.',
      source: 'Kea ARM, "High Availability" > multi-threaded configuration (HA+MT, http-dedicated-listener)',
    });
  }
  // The dedicated listener and kea-dhcp4's own HTTP control socket on one address and port.
  for (const s of [a, b]) {
    if (!dedicated(s)) continue;
    const own = ownPeer(s.rel);
    const hp = own && urlHostPort(own.url);
    const control = s.facts.kea?.controlSockets ?? [];
    const clash = hp && control.find((c) => c.port === hp.port && (c.address === hp.host || c.address === '0.0.0.0' || c.address === '::'));
    if (hp && clash) {
      out.push({
        code: 'port-collision',
        level: 'fail',
        text: `the ${s.side} server's HA dedicated listener (${own.url}) and its HTTP control socket (${clash.address}:${clash.port}) take the same port: kea-dhcp4 cannot bind both`,
        evidence: [`${s.side}: peer "${own.name}" url ${own.url}`, `${s.side}: control socket ${clash.address}:${clash.port}`],
        fix: 'Give the HA URL of this server and its HTTP control socket (or Control Agent) different ports.',
        source: 'Kea ARM, "High Availability" > multi-threaded configuration: the dedicated listener must not use the control channel\'s port',
      });
    }
  }
  return out;
}

function hookFindings(s: { side: Side; facts: ServerFacts }): PairFinding[] {
  const v = s.facts.version;
  // From 2.7.9, and 2.6.3 in the 2.6 series (the same security release; the oracle saw 2.6.3 refuse
  // it). Unknown version: judged by the newest rules (as ha-rules does).
  const restricted = v === undefined ? true : at(v, 2, 7, 9) || (v.major === 2 && v.minor === 6 && (v.build ?? 0) >= 3);
  if (!restricted) return [];
  const outside = (s.facts.kea?.hooks ?? []).filter((h) => h.includes('/') && !DEFAULT_HOOK_DIRS.includes(h.slice(0, h.lastIndexOf('/'))));
  if (outside.length === 0) return [];
  return [
    {
      code: 'hook-path',
      level: 'fail',
      text: `${v ? `Kea ${v.text}` : 'Kea 2.6.3, 2.7.9 and later'} load${v ? 's' : ''} hook libraries only from its default hook directory, and the ${s.side} server names ${outside.join(', ')}: kea-dhcp4 refuses the configuration and does not start`,
      evidence: outside.map((h) => `${s.side}: hooks-libraries ${h}`),
      fix: "Name hook libraries by file name only (libdhcp_ha.so, libdhcp_lease_cmds.so), or by their path in Kea's default hook directory.",
      source: 'Kea 2.7.9 / 2.6.3 security release, CVE-2025-32801 (hook libraries only from the default hook directory)',
    },
  ];
}

const stateOf = (st: KeaHaStatus | undefined) => st?.localState;

function liveFindings(a: Sided, b: Sided): PairFinding[] {
  const out: PairFinding[] = [];
  for (const s of [a, b]) {
    const i = relationshipsOf(s.facts).indexOf(s.rel);
    const st = i >= 0 ? s.facts.kea?.haStatus?.[i] : undefined;
    const state = stateOf(st);
    if (!state) continue;
    const view = [
      st?.remoteState ? `its view of the partner: ${st.remoteState}` : undefined,
      st?.inTouch !== undefined ? `in touch: ${st.inTouch}` : undefined,
      st?.communicationInterrupted ? 'communication interrupted' : undefined,
    ].filter((x): x is string => x !== undefined);
    const evidence = [`${s.side} status-get: state ${state}${view.length > 0 ? `; ${view.join('; ')}` : ''}`];
    const t = timers(s.rel);
    const flapping = t.maxResponse <= t.heartbeat;
    if (OPERATING.has(state) && (!st?.communicationInterrupted || flapping)) continue;
    if (TRANSITION.has(state)) {
      out.push({
        code: 'ha-transition',
        level: 'warn',
        text: `the ${s.side} server is in HA state ${state}, on its way to operating`,
        evidence,
        fix: 'Wait for the pair to finish syncing, then check again.',
        source: 'Kea ARM, "High Availability" > server states (syncing, ready)',
      });
      continue;
    }
    const why = OPERATING.has(state)
      ? 'communication with the partner is interrupted'
      : state === 'partner-down'
        ? 'it has declared its partner down and serves alone'
        : state === 'waiting'
          ? 'it is waiting for its partner, which it cannot reach or does not accept'
          : state === 'terminated'
            ? 'HA is terminated (clock skew over 60 s, or an incompatible partner): it serves alone without lease updates'
            : 'not an operating state';
    out.push({
      code: 'ha-not-operating',
      level: 'fail',
      text: `the ${s.side} server's HA relationship "${s.rel.thisServerName}" is in state ${state}: ${why}`,
      evidence,
      fix: "Read kea-dhcp4's log on both servers (HA_COMMUNICATION_INTERRUPTED, HA_*_FAILED): the partner's URL, TLS and credentials must work in both directions.",
      source: 'Kea ARM, "High Availability" > server states; status-get (ha-servers.local.state, remote.communication-interrupted)',
    });
  }
  return out;
}

/** Live: what the partner's HA listener did with the TLS files the local server will use (and the reverse). */
function listenerProbeFindings(a: Sided, b: Sided): PairFinding[] {
  const out: PairFinding[] = [];
  for (const [caller, listener] of [
    [a, b],
    [b, a],
  ] as const) {
    const probe = caller.facts.kea?.haListenerProbes?.find((p) => p.relationship === caller.rel.thisServerName && p.peer === listener.rel.thisServerName);
    if (!probe) continue;
    const evidence = [`from this machine with the ${caller.side} server's TLS files to ${probe.url}: ${probe.detail}`];
    if (probe.outcome === 'tls-failed') {
      out.push({
        code: 'tls-untrusted',
        level: 'fail',
        text: `a TLS handshake with the ${caller.side} server's trust-anchor and certificate to the ${listener.side} server's HA listener (${probe.url}) failed: ${probe.detail}`,
        evidence,
        fix: `Make the ${listener.side} server's certificate verify against the ${caller.side} server's trust-anchor, and the ${caller.side} server's client certificate against the ${listener.side} server's (require-client-certs).`,
        source: 'Kea ARM, "High Availability" > TLS/HTTPS support',
      });
    } else if (probe.outcome === 'refused') {
      out.push({
        code: 'ha-listener-refused',
        level: 'warn',
        text: `the ${listener.side} server's HA listener (${probe.url}) refused status-get: ${probe.detail}. Kea 3.0's restrict-commands (default true) lets the HA listener answer only status-get, list-commands, ha-heartbeat and the lease commands, and its basic authentication takes the peers' credentials; the HA state was read over the control channel instead`,
        evidence,
        fix: 'Nothing to change for HA; to probe the listener, give this machine credentials the listener accepts (or read the pair over the control channel only).',
        source: 'Kea 3.0 ARM, "High Availability" > restrict-commands',
      });
    }
  }
  return out;
}

/** Live: both servers operating, but each in the same role (each thinks it is the primary: both serve). */
function roleFindings(a: Sided, b: Sided): PairFinding[] {
  const st = (s: Sided) => {
    const i = relationshipsOf(s.facts).indexOf(s.rel);
    return i >= 0 ? s.facts.kea?.haStatus?.[i] : undefined;
  };
  const [x, y] = [st(a), st(b)];
  if (!x?.localRole || !y?.localRole || x.localRole !== y.localRole || !OPERATING.has(x.localState ?? '') || !OPERATING.has(y.localState ?? '')) return [];
  return [
    {
      code: 'ha-not-operating',
      level: 'fail',
      text: `both servers report HA state ${x.localState} as ${x.localRole}: each serves as if it were the ${x.localRole}, so both answer the same clients`,
      evidence: [
        `local status-get: ${x.localState} as ${x.localRole}, serving ${(x.localScopes ?? []).join(', ') || 'nothing'}`,
        `partner status-get: ${y.localState} as ${y.localRole}, serving ${(y.localScopes ?? []).join(', ') || 'nothing'}`,
      ],
      fix: 'Give both servers the same peers list, with the same role for each peer name.',
      source: 'Kea ARM, "High Availability" > server states; status-get (ha-servers.local.role, scopes)',
    },
  ];
}

/** Every pair rule for the relationship pairing these two servers (none before setup). */
export function keaPairFindings(pair: Pair): PairFinding[] {
  const { local, partner } = pair;
  if (!local || !partner) return [];
  const out: PairFinding[] = [];
  for (const s of [
    { side: 'local' as const, facts: local },
    { side: 'partner' as const, facts: partner },
  ]) {
    if (s.facts.kea?.haHookLoaded) out.push(...hookFindings(s));
  }
  const m = matchPair(local, partner, pair.partnerAddress);
  if (!m.local || !m.partner || m.by !== 'name') return out;
  const a: Sided = { side: 'local', facts: local, rel: m.local };
  const b: Sided = { side: 'partner', facts: partner, rel: m.partner };
  out.push(
    ...tlsFindings(a, b),
    ...listenerFindings(a, b),
    ...timerFindings(a, b),
    ...versionFindings(a, b),
    ...listenerProbeFindings(a, b),
    ...liveFindings(a, b),
    ...roleFindings(a, b),
  );
  return out;
}
