import { parseIPv4 } from '../../net/ipv4.js';
import { isIPv6 } from '../../net/ipv6.js';
import type { KeaHaRelationship, KeaPeer } from '../../sources/kea/types.js';

// Every reason the Kea HA hook refuses its configuration when kea-dhcp4 loads it, in the hook's
// own words (src/hooks/dhcp/high_availability/ha_config_parser.cc and ha_config.cc, Kea 2.2 to
// 3.0), in the order the hook meets them. The hook stops at the first; we report them all, so
// the first one listed is the one Kea prints ("HA_CONFIGURATION_FAILED failed to configure High
// Availability hooks library: <text>"). Rules whose message quotes a file position ("missing
// parameter", "invalid type specified for parameter") are not here: facts from config-get carry
// no positions.

export interface KeaVersionLike {
  major: number;
  minor: number;
}

export interface HaConfigOptions {
  /** The Kea that loads the configuration. Unknown: judged as the newest rules (2.6 and later). */
  version?: KeaVersionLike;
}

export interface HaConfigFinding {
  /** this-server-name of the relationship the rule is about; absent for rules about the whole list. */
  relationship?: string;
  /** Kea's text, its placeholders filled. */
  message: string;
}

const MODES = new Set(['load-balancing', 'hot-standby', 'passive-backup']);
const ROLES = new Set(['primary', 'secondary', 'standby', 'backup']);
const U16 = 65535;
const U32 = 4294967295;

/** Kea's messages, each with its own prefix: `HA relationship "server1": <Kea's text>`. */
export function haConfigErrors(rels: KeaHaRelationship[], opts: HaConfigOptions = {}): string[] {
  return haConfigFindings(rels, opts).map((f) =>
    f.relationship === undefined ? f.message : `HA relationship ${JSON.stringify(f.relationship)}: ${f.message}`,
  );
}

/**
 * The same as haConfigErrors, structured. `rels` is the whole `high-availability` list of one
 * server whose HA hook is loaded (an empty list is itself refused).
 */
export function haConfigFindings(rels: KeaHaRelationship[], opts: HaConfigOptions = {}): HaConfigFinding[] {
  const hub = opts.version === undefined || atLeast(opts.version, 2, 6);
  const out: HaConfigFinding[] = [];
  if (!hub && rels.length !== 1) {
    // 2.2: one relationship exactly, checked before anything else.
    return [{ message: 'invalid number of configurations in the HA configuration list. Expected exactly one configuration' }];
  }
  if (rels.length === 0) return [{ message: 'a list of HA configurations must not be empty' }];

  const mapped = new Set<string>();
  for (const rel of rels) {
    const own = relationshipErrors(rel, hub).map((message) => ({ relationship: rel.thisServerName, message }));
    out.push(...own);
    // 2.6+: every server name (peer name) belongs to one relationship only.
    if (hub) {
      for (const name of byName(uniquePeers(rel)).map((p) => p.name)) {
        if (mapped.has(name)) {
          out.push({
            relationship: rel.thisServerName,
            message: `server names must be unique for different relationships: a relationship '${name}' already exists`,
          });
          break;
        }
      }
      for (const p of rel.peers) mapped.add(p.name);
    }
  }
  if (hub && rels.length > 1 && rels.some((r) => r.mode !== 'hot-standby')) {
    out.push({ message: "multiple HA relationships are only supported for 'hot-standby' mode" });
  }
  return out;
}

function relationshipErrors(rel: KeaHaRelationship, hub: boolean): string[] {
  const errors: string[] = [];
  const modeKnown = MODES.has(rel.mode);
  // 'unknown' is the source's word for "no mode string": Kea's message for that quotes a position.
  if (!modeKnown && rel.mode !== 'unknown') errors.push(`unsupported value '${rel.mode}' for mode parameter`);
  if (rel.peersProblem === 'missing') errors.push("'peers' parameter missing in HA configuration");
  if (rel.peersProblem === 'not-list') errors.push("'peers' parameter must be a list");
  const thisName = rel.thisServerName.trim();
  if (thisName === '') errors.push("'this-server-name' value must not be empty");

  const ranges: [string, number | undefined, number][] = [
    ['sync-timeout', rel.syncTimeoutMs, U32],
    ['sync-page-limit', rel.syncPageLimit, U32],
    ['delayed-updates-limit', rel.delayedUpdatesLimit, U32],
    ['heartbeat-delay', rel.heartbeatDelayMs, U16],
    ['max-response-delay', rel.maxResponseDelayMs, U16],
    ['max-ack-delay', rel.maxAckDelayMs, U16],
    ['max-unacked-clients', rel.maxUnackedClients, U32],
    // Before 2.6 the hook does not read it at all.
    ...(hub ? ([['max-rejected-lease-updates', rel.maxRejectedLeaseUpdates, U32]] as [string, number | undefined, number][]) : []),
    ['http-listener-threads', rel.multiThreading?.httpListenerThreads, U32],
    ['http-client-threads', rel.multiThreading?.httpClientThreads, U32],
  ];
  for (const [name, value, max] of ranges) {
    // A fraction is a type error in Kea (with a file position); not judged here.
    if (value === undefined || !Number.isInteger(value)) continue;
    if (value < 0) errors.push(`'${name}' must not be negative`);
    else if (value > max) errors.push(`'${name}' must not be greater than ${max}`);
  }

  const seen = new Set<string>();
  for (const p of rel.peers) {
    if (p.name.trim() === '') errors.push('peer name must not be empty');
    else if (seen.has(p.name)) errors.push(`peer with name '${p.name}' already specified`);
    seen.add(p.name);
    if (p.urlHadUserinfo)
      errors.push(
        `the URL of peer '${p.name}' holds user information (user@ or user:password@), which Kea does not take in a peer URL: use basic-auth-user and basic-auth-password`,
      );
    if (!ROLES.has(p.role) && p.role !== 'unknown') errors.push(`unsupported value '${p.role}' for role parameter`);
    if (p.basicAuthPassword && p.basicAuthPasswordFile !== undefined) {
      errors.push(`only one of basic-auth-password and basic-auth-password-file parameter can be configured in peer '${p.name}'`);
    }
  }

  // HAConfig::validate()
  const peers = uniquePeers(rel);
  if (thisName !== '' && !peers.some((p) => p.name === thisName)) errors.push(`no peer configuration specified for the '${thisName}'`);
  for (const p of byName(peers)) {
    const problem = peerUrlProblem(p) ?? peerTlsProblem(rel, p);
    if (problem) errors.push(problem);
  }
  const count = (role: string) => peers.filter((p) => p.role === role).length;
  if (count('primary') > 1) errors.push('multiple primary servers specified');
  if (count('secondary') > 1) errors.push('multiple secondary servers specified');
  if (count('standby') > 1) errors.push('multiple standby servers specified');
  if (modeKnown) errors.push(...modeErrors(rel, count));
  return errors;
}

function modeErrors(rel: KeaHaRelationship, count: (role: string) => number): string[] {
  const errors: string[] = [];
  // Kea's defaults: delayed-updates-limit is 100 in load-balancing, 0 elsewhere.
  const delayed = rel.delayedUpdatesLimit ?? 0;
  const wait = rel.waitBackupAck === true;
  if (rel.mode === 'load-balancing') {
    if (count('standby') > 0) errors.push('standby servers not allowed in the load balancing configuration');
    if (count('secondary') === 0) errors.push('secondary server required in the load balancing configuration');
    if (count('primary') === 0) errors.push('primary server required in the load balancing configuration');
    if (wait) errors.push("'wait-backup-ack' must be set to false in the load balancing configuration");
  } else if (rel.mode === 'hot-standby') {
    if (count('secondary') > 0) errors.push('secondary servers not allowed in the hot standby configuration');
    if (count('standby') === 0) errors.push('standby server required in the hot standby configuration');
    if (count('primary') === 0) errors.push('primary server required in the hot standby configuration');
    if (wait) errors.push("'wait-backup-ack' must be set to false in the hot standby configuration");
    if (delayed > 0) errors.push("'delayed-updates-limit' must be set to 0 in the hot standby configuration");
  } else {
    if (count('secondary') > 0) errors.push('secondary servers not allowed in the passive backup configuration');
    if (count('standby') > 0) errors.push('standby servers not allowed in the passive backup configuration');
    if (count('primary') === 0) errors.push('primary server required in the passive backup configuration');
    if (delayed > 0) errors.push("'delayed-updates-limit' must be set to 0 in the passive backup configuration");
  }
  return errors;
}

/** Kea's Url parser (src/lib/http/url.cc), then its demand for an IP address as the host. */
function peerUrlProblem(p: KeaPeer): string | undefined {
  const parsed = parseKeaUrl(p.url);
  if ('error' in parsed) return `invalid URL: ${parsed.error} for server ${p.name}`;
  const host = parsed.host.startsWith('[') ? parsed.host.slice(1, -1) : parsed.host;
  if (!isInetAddress(host)) return `bad url '${p.url}': Failed to convert string to address '${host}': Invalid argument for server ${p.name}`;
  return undefined;
}

/** A peer's TLS files, else the relationship's; all three or none; https needs them. */
function peerTlsProblem(rel: KeaHaRelationship, p: KeaPeer): string | undefined {
  const ca = p.trustAnchor ?? rel.trustAnchor;
  const cert = p.certFile ?? rel.certFile;
  const key = p.keyFile ?? rel.keyFile;
  const have = (v: string | undefined) => v !== undefined && v !== '';
  if (have(ca) || have(cert) || have(key)) {
    const missing = !have(ca) ? 'trust-anchor' : !have(cert) ? 'cert-file' : !have(key) ? 'key-file' : undefined;
    return missing ? `bad TLS config for server ${p.name}: ${missing} parameter is missing or empty: all or none of TLS parameters must be set` : undefined;
  }
  if (p.url.startsWith('https:')) return `bad url '${p.url}': https scheme is not supported for server ${p.name} where TLS is disabled`;
  return undefined;
}

export function parseKeaUrl(url: string): { scheme: 'http' | 'https'; host: string } | { error: string } {
  const colon = url.indexOf(':');
  if (colon <= 0) return { error: `url ${url} lacks http or https scheme` };
  const scheme = url.slice(0, colon);
  if (scheme !== 'http' && scheme !== 'https') return { error: `invalid scheme ${scheme} in ${url}` };
  if (url.slice(colon, colon + 3) !== '://') return { error: `expected :// after scheme in ${url}` };
  const start = colon + 3;
  if (start >= url.length) return { error: `hostname missing in ${url}` };
  let end: number;
  if (url[start] === '[') {
    const close = url.indexOf(']', start);
    if (close < 0) return { error: `expected ] after IPv6 address in ${url}` };
    if (close === start + 1) return { error: `expected IPv6 address within [] in ${url}` };
    end = close + 1;
  } else {
    end = url.indexOf(':', start);
    if (end < 0) end = url.indexOf('/', start);
    if (end < 0) end = url.length;
  }
  const host = url.slice(start, end);
  if (url[end] === ':') {
    if (end === url.length - 1) return { error: `expected port number after : in ${url}` };
    const slash = url.indexOf('/', end + 1);
    const port = url.slice(end + 1, slash < 0 ? undefined : slash);
    // boost::lexical_cast<unsigned>: digits (a sign is tolerated), within 32 bits.
    if (!/^[-+]?[0-9]+$/.test(port) || BigInt(port.replace('+', '')) > BigInt(U32) || BigInt(port.replace('+', '')) < -BigInt(U32)) {
      return { error: `invalid port number ${port} in ${url}` };
    }
  }
  return { scheme, host };
}

/** What inet_pton (through boost::asio) takes: a dotted quad without leading zeros, or IPv6. */
function isInetAddress(host: string): boolean {
  return isIPv6(host) || parseIPv4(host) !== undefined;
}

/** The peers Kea keeps: the first of each name (a repeated name is refused above). */
function uniquePeers(rel: KeaHaRelationship): KeaPeer[] {
  const seen = new Set<string>();
  return rel.peers.filter((p) => !seen.has(p.name) && seen.add(p.name));
}

/** Kea holds peers in a std::map: validate() meets them in byte order of their names. */
function byName(peers: KeaPeer[]): KeaPeer[] {
  return [...peers].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

function atLeast(v: KeaVersionLike, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}
