import { isRecord } from './client.js';
import type { KeaHaRelationship, KeaPeer } from './types.js';

// The HA hook's `high-availability` parameter (from config-get or a configuration file) as
// facts: what is configured, verbatim, so that platforms/kea/ha-rules can judge it as the hook
// would. Values of the wrong type are left out with a note (Kea would refuse them: "invalid type
// specified for parameter"). Passwords are never kept, only whether one is set.

export function readHaRelationships(value: unknown, notes: string[]): KeaHaRelationship[] {
  if (!Array.isArray(value)) {
    if (value !== undefined) notes.push('The HA hook parameters have a high-availability that is not a list.');
    return [];
  }
  return value.flatMap((r: unknown): KeaHaRelationship[] => {
    if (!isRecord(r) || typeof r['this-server-name'] !== 'string') {
      notes.push('An HA relationship without this-server-name was ignored.');
      return [];
    }
    const name = r['this-server-name'];
    const typed = new Typed(r, `HA relationship ${JSON.stringify(name)}`, notes);
    const rel: KeaHaRelationship = {
      thisServerName: name,
      mode: typed.string('mode') ?? 'unknown',
      peers: [],
    };
    if (!('peers' in r)) rel.peersProblem = 'missing';
    else if (!Array.isArray(r.peers)) rel.peersProblem = 'not-list';
    else rel.peers = r.peers.flatMap((p: unknown) => readPeer(p, name, notes));

    setIf(rel, 'heartbeatDelayMs', typed.number('heartbeat-delay'));
    setIf(rel, 'maxResponseDelayMs', typed.number('max-response-delay'));
    setIf(rel, 'maxAckDelayMs', typed.number('max-ack-delay'));
    setIf(rel, 'maxUnackedClients', typed.number('max-unacked-clients'));
    setIf(rel, 'maxRejectedLeaseUpdates', typed.number('max-rejected-lease-updates'));
    setIf(rel, 'delayedUpdatesLimit', typed.number('delayed-updates-limit'));
    setIf(rel, 'syncTimeoutMs', typed.number('sync-timeout'));
    setIf(rel, 'syncPageLimit', typed.number('sync-page-limit'));
    setIf(rel, 'sendLeaseUpdates', typed.boolean('send-lease-updates'));
    setIf(rel, 'syncLeases', typed.boolean('sync-leases'));
    setIf(rel, 'waitBackupAck', typed.boolean('wait-backup-ack'));
    setIf(rel, 'trustAnchor', typed.string('trust-anchor'));
    setIf(rel, 'certFile', typed.string('cert-file'));
    setIf(rel, 'keyFile', typed.string('key-file'));
    setIf(rel, 'requireClientCerts', typed.boolean('require-client-certs'));
    setIf(rel, 'restrictCommands', typed.boolean('restrict-commands'));

    const mt = r['multi-threading'];
    if (isRecord(mt)) {
      const t = new Typed(mt, `The multi-threading of HA relationship ${JSON.stringify(name)}`, notes);
      const out: NonNullable<KeaHaRelationship['multiThreading']> = {};
      setIf(out, 'enableMultiThreading', t.boolean('enable-multi-threading'));
      setIf(out, 'httpDedicatedListener', t.boolean('http-dedicated-listener'));
      setIf(out, 'httpListenerThreads', t.number('http-listener-threads'));
      setIf(out, 'httpClientThreads', t.number('http-client-threads'));
      rel.multiThreading = out;
    } else if (mt !== undefined) {
      notes.push(`HA relationship ${JSON.stringify(name)} has a multi-threading that is not a map.`);
    }
    return [rel];
  });
}

function readPeer(p: unknown, relationship: string, notes: string[]): KeaPeer[] {
  if (!isRecord(p) || typeof p.name !== 'string' || typeof p.url !== 'string') {
    notes.push(`A peer of HA relationship ${JSON.stringify(relationship)} without a name or url was ignored.`);
    return [];
  }
  const typed = new Typed(p, `Peer ${JSON.stringify(p.name)}`, notes);
  const { url, hadUserinfo } = stripUserinfo(p.url);
  const peer: KeaPeer = { name: p.name, url, role: typed.string('role') ?? 'unknown' };
  if (hadUserinfo) peer.urlHadUserinfo = true;
  setIf(peer, 'autoFailover', typed.boolean('auto-failover'));
  setIf(peer, 'trustAnchor', typed.string('trust-anchor'));
  setIf(peer, 'certFile', typed.string('cert-file'));
  setIf(peer, 'keyFile', typed.string('key-file'));
  const user = typed.string('basic-auth-user');
  if (user !== undefined && user !== '') peer.basicAuthUser = true;
  // Only whether it is there; its text is never read into anything.
  if ('basic-auth-password' in p) peer.basicAuthPassword = true;
  setIf(peer, 'basicAuthPasswordFile', typed.string('basic-auth-password-file'));
  return [peer];
}

/** Reads one map's values by type, noting (by name only, never by value) those of another type. */
class Typed {
  constructor(
    private readonly map: Record<string, unknown>,
    private readonly what: string,
    private readonly notes: string[],
  ) {}

  string(key: string): string | undefined {
    return this.get(key, 'string', (v): v is string => typeof v === 'string');
  }

  number(key: string): number | undefined {
    return this.get(key, 'number', (v): v is number => typeof v === 'number' && Number.isFinite(v));
  }

  boolean(key: string): boolean | undefined {
    return this.get(key, 'boolean', (v): v is boolean => typeof v === 'boolean');
  }

  private get<T>(key: string, type: string, ok: (v: unknown) => v is T): T | undefined {
    const v = this.map[key];
    if (v === undefined) return undefined;
    if (ok(v)) return v;
    this.notes.push(`${this.what} has a ${key} that is not a ${type}; ignored (Kea refuses it).`);
    return undefined;
  }
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * The URL without `user:password@`, otherwise exactly as configured: Kea quotes the URL text in
 * its messages, so a normalised form (`new URL().href`) would not match them.
 */
export function stripUserinfo(text: string): { url: string; hadUserinfo: boolean } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/.exec(text);
  if (!m) return { url: text, hadUserinfo: false };
  return { url: m[1]! + text.slice(m[0].length), hadUserinfo: true };
}
