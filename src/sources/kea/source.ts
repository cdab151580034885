import type { KeaOptions } from '../../plan.js';
import type { Relationship, ScopeFact, ServerFacts, ServerVersion, ServiceStatus } from '../../facts.js';
import { formatIPv4, parseIPv4, prefixToMask } from '../../net/ipv4.js';
import { PRODUCTS } from '../../platforms/ids.js';
import { KEA_RESULT, KeaAuthError, agentUrl, isRecord, keaCommand, readCa, type KeaCommand, type KeaReply } from './client.js';
import { readHaRelationships } from './ha-config.js';
import { probeHaListeners } from './ha-listener.js';
import type { KeaAgent, KeaClockSample, KeaFacts, KeaHaRelationship, KeaHaStatus, KeaSubnet } from './types.js';

// Turns what one Kea Control Agent says into ServerFacts. Every command goes out once per load;
// the caller (the run's Context) memoises the result so all checks share it.

export type KeaLoadOptions = KeaOptions & { timeoutMs: number; signal?: AbortSignal };

// The agent answers, but the dhcp4 daemon behind it does not (stopped, crashed, socket gone).
const DAEMON_OFFLINE = /unable to forward command to the dhcp4 service|likely to be offline/i;
const NO_DHCP4_SOCKET = /forwarding socket is not configured/i;

// HTTP dates and ha-heartbeat date-time both have 1 s resolution; 1 s (not 0.5 s) also covers
// a server that rounds instead of truncating.
const DATE_RESOLUTION_MS = 1000;

export async function loadKea(url: string, opts: KeaLoadOptions): Promise<ServerFacts> {
  const { url: parsed, display } = agentUrl(url);
  const source = `kea:${display}`;
  const notes: string[] = [];
  if (parsed.username || parsed.password) {
    notes.push('Credentials in the agent URL are ignored; use --kea-user with KEA_PASSWORD or --kea-password-file.');
  }
  const ca = parsed.protocol === 'https:' && opts.caFile ? await readCa(opts.caFile, { timeoutMs: opts.timeoutMs, signal: opts.signal }) : undefined;
  const agent: KeaAgent = {
    url: display,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80,
    tls: parsed.protocol === 'https:',
  };

  // One budget for the whole load, so a second round (ha-heartbeat) cannot double the wait.
  const deadline = Date.now() + opts.timeoutMs;
  const ask = (command: KeaCommand, service?: readonly string[]): Promise<KeaReply> =>
    keaCommand(url, command, {
      user: opts.user,
      password: opts.password,
      ca,
      timeoutMs: Math.max(1, deadline - Date.now()),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(service ? { service } : {}),
    });

  const [versionR, configR, statusR, agentR] = await Promise.allSettled([ask('version-get'), ask('config-get'), ask('status-get'), ask('config-get', [])]);

  const refused = [versionR, configR, statusR, agentR].find((r): r is PromiseRejectedResult => r.status === 'rejected' && r.reason instanceof KeaAuthError);
  if (refused) {
    const err = refused.reason as KeaAuthError;
    return {
      source,
      platform: 'kea',
      identity: { ...(opts.user !== undefined ? { user: opts.user } : {}), isDhcpAdministrator: false },
      notes: [...notes, err.message],
      kea: { agent, clock: [], authStatus: err.status },
    };
  }
  for (const r of [versionR, configR, statusR]) if (r.status === 'rejected') throw r.reason;
  const version = (versionR as PromiseFulfilledResult<KeaReply>).value;
  const config = (configR as PromiseFulfilledResult<KeaReply>).value;
  const status = (statusR as PromiseFulfilledResult<KeaReply>).value;

  const replies: KeaReply[] = [version, config, status];
  const unsupported: string[] = [];
  /** The core commands the agent answered and would not carry out: what it refused to tell. */
  const refusals: string[] = [];
  const kea: KeaFacts = { agent, clock: [] };
  const facts: ServerFacts = { source, platform: 'kea', kea };

  if (agentR.status === 'fulfilled') {
    replies.push(agentR.value);
    readAgentConfig(agentR.value, agent, notes);
  } else {
    notes.push(`The agent's own configuration is unknown: ${(agentR.reason as Error).message}`);
  }

  const v = first(version);
  const offline = [version, config, status].map(first).find((e) => e.result === KEA_RESULT.error && DAEMON_OFFLINE.test(e.text ?? ''));
  const noSocket = [version, config, status].map(first).find((e) => e.result === KEA_RESULT.error && NO_DHCP4_SOCKET.test(e.text ?? ''));
  if (offline) {
    facts.service = { state: 'stopped', raw: offline.text ?? 'unable to forward command to the dhcp4 service' };
  } else if (noSocket) {
    facts.service = { state: 'other', raw: noSocket.text ?? 'no dhcp4 control socket' };
    notes.push('The agent has no control socket for dhcp4: it cannot reach a DHCPv4 server.');
  } else if (v.result === KEA_RESULT.ok) {
    facts.service = runningStatus(first(status));
  }

  if (v.result === KEA_RESULT.ok) {
    const parsedVersion = parseVersion(v.text);
    if (parsedVersion) facts.version = parsedVersion;
    else notes.push(`version-get answered an unrecognised version ${JSON.stringify(v.text ?? '')}`);
  } else {
    noteFailure('version-get', v, notes, unsupported, refusals);
  }

  const c = first(config);
  const dhcp4 = c.result === KEA_RESULT.ok && isRecord(c.arguments) && isRecord(c.arguments.Dhcp4) ? c.arguments.Dhcp4 : undefined;
  if (dhcp4) readDhcp4Config(dhcp4, facts, kea, notes);
  else if (c.result === KEA_RESULT.ok) notes.push('config-get answered without a Dhcp4 configuration');
  else noteFailure('config-get', c, notes, unsupported, refusals);

  const s = first(status);
  if (s.result === KEA_RESULT.ok) {
    const ha = readHaStatus(s.arguments);
    if (ha) kea.haStatus = ha;
  } else {
    noteFailure('status-get', s, notes, unsupported, refusals);
  }

  if (kea.haConfigured && kea.haRelationships) {
    const probes = await probeHaListeners(
      kea.haRelationships,
      { timeoutMs: Math.max(1, deadline - Date.now()), ...(opts.signal ? { signal: opts.signal } : {}) },
      notes,
    );
    if (probes.length > 0) kea.haListenerProbes = probes;
  }
  if (kea.haConfigured) {
    const heartbeat = await ask('ha-heartbeat').catch((err: unknown) => err as Error);
    if (heartbeat instanceof Error) {
      notes.push(`ha-heartbeat failed: ${heartbeat.message}`);
    } else {
      const h = first(heartbeat);
      const dateTime = isRecord(h.arguments) && typeof h.arguments['date-time'] === 'string' ? h.arguments['date-time'] : undefined;
      const sample = dateTime === undefined ? undefined : clockSample('ha-heartbeat', dateTime, heartbeat);
      if (h.result === KEA_RESULT.ok && sample) kea.clock.push(sample);
      else if (h.result === KEA_RESULT.ok) notes.push('ha-heartbeat answered without a usable date-time');
      else noteFailure('ha-heartbeat', h, notes, unsupported);
    }
  }

  const best = replies
    .map((r) => (r.date ? clockSample('http-date', r.date.text, r) : undefined))
    .filter((x): x is KeaClockSample => x !== undefined)
    .sort((a, b) => a.errorMs - b.errorMs)[0];
  if (best) kea.clock.unshift(best);

  const rbac = agent.hooks?.some((h) => /rbac/i.test(basename(h)));
  if (rbac) notes.push('The agent loads a role-based access hook: read access does not prove the right to configure HA.');
  facts.identity = {
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    // Without a role-based access hook, Kea basic auth is all-or-nothing: accepted is admin.
    // An agent that refused a read-only command has not shown that the user may configure HA.
    ...(rbac || refusals.length > 0 ? {} : { isDhcpAdministrator: true }),
  };
  if (unsupported.length > 0) kea.unsupported = unsupported;
  if (notes.length > 0) facts.notes = notes;
  if (refusals.length > 0) facts.refused = refusals;
  return facts;
}

function first(reply: KeaReply): { result: number; text?: string; arguments?: unknown } {
  // keaCommand guarantees a non-empty list; one service asked means one entry.
  return reply.entries[0]!;
}

function noteFailure(command: string, entry: { result: number; text?: string }, notes: string[], unsupported: string[], refused?: string[]): void {
  if (entry.result === KEA_RESULT.unsupported) unsupported.push(command);
  // The offline text is already the service fact; repeating it per command is noise.
  if (entry.result === KEA_RESULT.error && DAEMON_OFFLINE.test(entry.text ?? '')) return;
  const line = `${command} answered result ${entry.result}${entry.text ? `: ${entry.text}` : ''}`;
  notes.push(line);
  // The agent answers, and will not tell: an error ("not allowed"), or a command every Kea has
  // called unsupported (status-get is unsupported before Kea 1.7: not a refusal).
  if (entry.result === KEA_RESULT.error || (entry.result === KEA_RESULT.unsupported && command !== 'status-get')) refused?.push(line);
}

function runningStatus(status: { result: number; arguments?: unknown }): ServiceStatus {
  const uptime = status.result === KEA_RESULT.ok && isRecord(status.arguments) ? status.arguments.uptime : undefined;
  return { state: 'running', raw: typeof uptime === 'number' ? `running, uptime ${uptime} s` : 'running' };
}

export function parseVersion(text: string | undefined): ServerVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  if (!m || text === undefined) return undefined;
  return { product: PRODUCTS.kea, major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]), text };
}

/**
 * Offset of a server timestamp (1 s resolution, generated between sentAt and receivedAt) from
 * this machine's clock: centred on the middle of both windows, bounded by rtt/2 + 1 s.
 */
function clockSample(source: KeaClockSample['source'], text: string, reply: KeaReply): KeaClockSample | undefined {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return undefined;
  const delayMs = reply.receivedAt - reply.sentAt;
  const offsetMs = ms + DATE_RESOLUTION_MS / 2 - (reply.sentAt + reply.receivedAt) / 2;
  return { source, offsetMs: round(offsetMs), errorMs: round(delayMs / 2 + DATE_RESOLUTION_MS), delayMs: round(delayMs), text };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function readAgentConfig(reply: KeaReply, agent: KeaAgent, notes: string[]): void {
  const e = first(reply);
  const args = e.result === KEA_RESULT.ok && isRecord(e.arguments) ? e.arguments : undefined;
  const ca = args?.['Control-agent'];
  // kea-dhcp4's own HTTP socket (3.0+) ignores "service": [] and answers with its own Dhcp4.
  if (isRecord(args?.Dhcp4) && !isRecord(ca)) {
    agent.kind = 'dhcp4-http';
    const sockets = args.Dhcp4['control-sockets'];
    const http = (Array.isArray(sockets) ? sockets : []).find(
      (s: unknown) => isRecord(s) && (s['socket-type'] === 'http' || s['socket-type'] === 'https') && s['socket-port'] === agent.port,
    );
    if (isRecord(http)) {
      if (typeof http['socket-address'] === 'string') agent.httpHost = http['socket-address'];
      if (typeof http['socket-port'] === 'number') agent.httpPort = http['socket-port'];
    }
    return;
  }
  if (!isRecord(ca)) {
    notes.push(`The agent's own configuration is unknown: config-get to the agent answered result ${e.result}`);
    return;
  }
  agent.kind = 'control-agent';
  if (typeof ca['http-host'] === 'string') agent.httpHost = ca['http-host'];
  if (typeof ca['http-port'] === 'number') agent.httpPort = ca['http-port'];
  agent.hooks = libraries(ca['hooks-libraries']).map((l) => l.library);
}

function libraries(value: unknown): { library: string; parameters?: Record<string, unknown> }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((h: unknown) =>
    isRecord(h) && typeof h.library === 'string' ? [{ library: h.library, ...(isRecord(h.parameters) ? { parameters: h.parameters } : {}) }] : [],
  );
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function readDhcp4Config(dhcp4: Record<string, unknown>, facts: ServerFacts, kea: KeaFacts, notes: string[]): void {
  const hooks = libraries(dhcp4['hooks-libraries']);
  kea.hooks = hooks.map((h) => h.library);
  const ha = hooks.find((h) => basename(h.library) === 'libdhcp_ha.so');
  kea.haHookLoaded = ha !== undefined;
  kea.leaseCmdsHookLoaded = hooks.some((h) => basename(h.library) === 'libdhcp_lease_cmds.so');
  const sockets = Array.isArray(dhcp4['control-sockets']) ? (dhcp4['control-sockets'] as unknown[]) : [];
  const http = sockets.flatMap((c) =>
    isRecord(c) && (c['socket-type'] === 'http' || c['socket-type'] === 'https') && typeof c['socket-port'] === 'number'
      ? [{ address: typeof c['socket-address'] === 'string' ? c['socket-address'] : '127.0.0.1', port: c['socket-port'] }]
      : [],
  );
  if (http.length > 0) kea.controlSockets = http;

  const relationships = ha ? readHaRelationships(ha.parameters?.['high-availability'], notes) : [];
  kea.haConfigured = relationships.some((r) => r.peers.length > 0);
  if (kea.haHookLoaded) kea.haRelationships = relationships;
  if (kea.haHookLoaded && !kea.leaseCmdsHookLoaded) notes.push('The HA hook is loaded without libdhcp_lease_cmds.so, which HA needs.');

  const { scopes, subnets } = readSubnets(dhcp4, notes);
  facts.scopes = scopes;
  kea.subnets = subnets;

  facts.relationships = relationships.map((r) => toRelationship(r, relationships.length, subnets));
  const addresses = ownAddresses(dhcp4, kea);
  if (addresses.length > 0) facts.addresses = addresses;
}

/**
 * A Kea relationship as the generic fact: named after its peers ("server1/server2"); the partner
 * is the first non-backup peer that is not this server; its scopes are every subnet when there is
 * one relationship, else (hub-and-spoke) the subnets whose ha-server-name is one of its peers.
 */
function toRelationship(r: KeaHaRelationship, count: number, subnets: KeaSubnet[]): Relationship {
  const partner = r.peers.find((p) => p.name !== r.thisServerName && p.role !== 'backup');
  const names = new Set(r.peers.map((p) => p.name));
  const mine = count === 1 ? subnets : subnets.filter((s) => s.haServerName !== undefined && names.has(s.haServerName));
  const scopeIds = mine.flatMap((s) => {
    const net = parseCidr(s.subnet);
    return net ? [formatIPv4(net.network)] : [];
  });
  return {
    name: r.peers.map((p) => p.name).join('/') || r.thisServerName,
    ...(partner ? { partner: partner.url } : {}),
    mode: r.mode,
    scopeIds,
  };
}

function readSubnets(dhcp4: Record<string, unknown>, notes: string[]): { scopes: ScopeFact[]; subnets: KeaSubnet[] } {
  const scopes: ScopeFact[] = [];
  const subnets: KeaSubnet[] = [];
  const add = (list: unknown, shared?: { name?: string; haServerName?: string }) => {
    if (!Array.isArray(list)) return;
    for (const s of list as unknown[]) {
      if (!isRecord(s) || typeof s.subnet !== 'string') continue;
      const net = parseCidr(s.subnet);
      if (!net) {
        notes.push(`Subnet ${JSON.stringify(s.subnet)} is not an IPv4 prefix; skipped.`);
        continue;
      }
      const pools = (Array.isArray(s.pools) ? s.pools : []).flatMap((p: unknown) => (isRecord(p) && typeof p.pool === 'string' ? [p.pool] : []));
      const scope: ScopeFact = { network: net.network, prefix: net.prefix };
      if (typeof s.id === 'number') scope.subnetId = s.id;
      // One pool is the address range; several pools have no single range, so none is claimed.
      const range = pools.length === 1 ? parsePool(pools[0]!) : undefined;
      if (range) {
        scope.rangeStart = range.start;
        scope.rangeEnd = range.end;
      }
      scopes.push(scope);
      const haServerName = userContextServer(s) ?? shared?.haServerName;
      subnets.push({
        id: typeof s.id === 'number' ? s.id : -1,
        subnet: `${formatIPv4(net.network)}/${net.prefix}`,
        pools,
        ...(shared?.name !== undefined ? { sharedNetwork: shared.name } : {}),
        ...(haServerName !== undefined ? { haServerName } : {}),
      });
    }
  };
  add(dhcp4.subnet4);
  if (Array.isArray(dhcp4['shared-networks'])) {
    for (const n of dhcp4['shared-networks'] as unknown[]) {
      if (!isRecord(n)) continue;
      const haServerName = userContextServer(n);
      add(n.subnet4, {
        ...(typeof n.name === 'string' ? { name: n.name } : {}),
        ...(haServerName !== undefined ? { haServerName } : {}),
      });
    }
  }
  return { scopes, subnets };
}

function userContextServer(node: Record<string, unknown>): string | undefined {
  const ctx = node['user-context'];
  return isRecord(ctx) && typeof ctx['ha-server-name'] === 'string' ? ctx['ha-server-name'] : undefined;
}

function parseCidr(text: string): { network: number; prefix: number } | undefined {
  const m = /^\s*([\d.]+)\/(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  const addr = parseIPv4(m[1]!);
  const prefix = Number(m[2]);
  if (addr === undefined || prefix > 32) return undefined;
  return { network: (addr & prefixToMask(prefix)) >>> 0, prefix };
}

/** "10.99.0.100 - 10.99.0.200" or "10.99.0.0/25" as an inclusive range. */
function parsePool(text: string): { start: number; end: number } | undefined {
  const dash = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(text);
  if (dash) {
    const start = parseIPv4(dash[1]!);
    const end = parseIPv4(dash[2]!);
    return start !== undefined && end !== undefined && start <= end ? { start, end } : undefined;
  }
  const cidr = parseCidr(text);
  if (!cidr) return undefined;
  const size = 2 ** (32 - cidr.prefix);
  return { start: cidr.network, end: cidr.network + size - 1 };
}

/** Addresses the server itself names: the agent's specific http-host and "iface/addr" interfaces. */
function ownAddresses(dhcp4: Record<string, unknown>, kea: KeaFacts): string[] {
  const found = new Set<string>();
  const host = kea.agent?.httpHost;
  if (host !== undefined && parseIPv4(host) !== undefined && host !== '0.0.0.0') found.add(host);
  const ifc = dhcp4['interfaces-config'];
  const list = isRecord(ifc) && Array.isArray(ifc.interfaces) ? (ifc.interfaces as unknown[]) : [];
  for (const i of list) {
    const addr = typeof i === 'string' ? i.split('/')[1] : undefined;
    if (addr !== undefined && parseIPv4(addr) !== undefined) found.add(addr);
  }
  return [...found];
}

function readHaStatus(args: unknown): KeaHaStatus[] | undefined {
  const list = isRecord(args) ? args['high-availability'] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((r: unknown): KeaHaStatus[] => {
    if (!isRecord(r)) return [];
    const out: KeaHaStatus = {};
    if (typeof r['ha-mode'] === 'string') out.mode = r['ha-mode'];
    const servers = isRecord(r['ha-servers']) ? r['ha-servers'] : {};
    const local = isRecord(servers.local) ? servers.local : {};
    const remote = isRecord(servers.remote) ? servers.remote : {};
    if (typeof local.role === 'string') out.localRole = local.role;
    if (typeof local.state === 'string') out.localState = local.state;
    if (Array.isArray(local.scopes)) out.localScopes = local.scopes.filter((x): x is string => typeof x === 'string');
    if (typeof remote.role === 'string') out.remoteRole = remote.role;
    if (typeof remote['last-state'] === 'string') out.remoteState = remote['last-state'];
    if (typeof remote['in-touch'] === 'boolean') out.inTouch = remote['in-touch'];
    if (typeof remote['communication-interrupted'] === 'boolean') out.communicationInterrupted = remote['communication-interrupted'];
    if (typeof local['server-name'] === 'string') out.localServerName = local['server-name'];
    if (typeof remote['server-name'] === 'string') out.remoteServerName = remote['server-name'];
    if (typeof remote['clock-skew'] === 'number' && Number.isFinite(remote['clock-skew'])) out.remoteClockSkewSeconds = remote['clock-skew'];
    return [out];
  });
}
