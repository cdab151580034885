import type { Identity, Relationship, ScopeFact, ServerFacts, ServerVersion, ServiceStatus } from '../../facts.js';
import { formatIPv4, looksLikeIPv4, maskToPrefix, parseIPv4 } from '../../net/ipv4.js';
import { PRODUCTS } from '../../platforms/ids.js';
import { resolveIPv4 } from '../../probes/dns.js';
import { readFailoverState, type OmapiKey } from '../../probes/omapi.js';
import { InputError, ProbeError, errorText } from '../../util/errors.js';
import { registerSecret } from '../../util/secrets.js';
import { readGuarded, type InputDeadline } from '../../util/read-guarded.js';
import type { DhcpdFacts, DhcpdLiveState, DhcpdOmapiFacts, DhcpdPoolFact } from './facts.js';
import { dhcpdTest, dhcpdVersion, hasDhcpdBinary } from './judge.js';
import { parseDhcpdConf, parseDhcpdConfSliced } from './parse.js';
import type { DhcpdConf, DhcpdKey, DhcpdPool, DhcpdSubnet } from './types.js';

// `dhcpd:<dhcpd.conf>`: the conf as dhcpd reads it, plus what the running dhcpd tells over OMAPI
// where the conf enables it, plus dhcpd's own `-t` judgement where the binary is here. The conf
// is input (a syntax error is exit 2); OMAPI and dhcpd -t are probes: a failure is a note.

export interface DhcpdLoadOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Where the described server is: OMAPI goes there; `thisMachine` allows `dhcpd --version`. */
  server?: { host: string; thisMachine: boolean };
  /** A file with a `key` block, used instead of the conf's own key. */
  omapiKeyFile?: string;
  /** What relative includes are relative to (dhcpd: its working directory). */
  cwd?: string;
}

const ip = (text: string) => parseIPv4(text);

function subnetText(s: DhcpdSubnet): string | undefined {
  const n = ip(s.network);
  const m = ip(s.netmask);
  const prefix = m === undefined ? undefined : maskToPrefix(m);
  return n === undefined || prefix === undefined ? undefined : `${formatIPv4(n)}/${prefix}`;
}

/** The subnet (of those given) an address lies in. */
function subnetOf(address: string, subnets: DhcpdSubnet[]): DhcpdSubnet | undefined {
  const a = ip(address);
  if (a === undefined) return undefined;
  return subnets.find((s) => {
    const n = ip(s.network);
    const m = ip(s.netmask);
    return n !== undefined && m !== undefined && (a & m) >>> 0 === n;
  });
}

/** The first subnet of each network and netmask, as conf.subnets.find() would find it: one lookup per pool, not a scan (75 000 pools took minutes). */
function subnetIndex(conf: DhcpdConf): Map<string, DhcpdSubnet> {
  const index = new Map<string, DhcpdSubnet>();
  for (const s of conf.subnets) {
    const key = `${s.network}/${s.netmask}`;
    if (!index.has(key)) index.set(key, s);
  }
  return index;
}

function poolFact(pool: DhcpdPool, conf: DhcpdConf, subnets: Map<string, DhcpdSubnet>): DhcpdPoolFact {
  let subnet: DhcpdSubnet | undefined;
  if (pool.parent.kind === 'subnet') {
    const { network, netmask } = pool.parent;
    subnet = subnets.get(`${network}/${netmask}`);
  } else {
    const net = conf.sharedNetworks.find((n) => n.name === (pool.parent as { sharedNetwork: string }).sharedNetwork);
    const first = pool.ranges[0];
    subnet = first ? subnetOf(first.start, net?.subnets ?? conf.subnets) : undefined;
  }
  const text = subnet ? subnetText(subnet) : undefined;
  const sharedNetwork = pool.parent.sharedNetwork;
  return {
    file: pool.file,
    line: pool.line,
    ...(text ? { subnet: text } : {}),
    ...(sharedNetwork !== undefined ? { sharedNetwork } : {}),
    ranges: pool.ranges.map((r) => ({ file: r.file, line: r.line, start: r.start, end: r.end, dynamicBootp: r.dynamicBootp })),
    ...(pool.failoverPeer ? { peer: pool.failoverPeer.value } : {}),
    allowsDynamicBootp: pool.permits.some((p) => p.verb === 'allow' && p.what === 'dynamic bootp clients'),
  };
}

function scopesOf(conf: DhcpdConf, notes: string[]): ScopeFact[] {
  const out: ScopeFact[] = [];
  // Only a shared-network's pools are matched to subnets by address: taken out once, so a conf of
  // many subnets and pools is not scanned pool by pool for every subnet.
  const sharedPools = conf.pools.filter((p) => p.parent.kind === 'shared-network' && p.ranges[0]);
  for (const s of conf.subnets) {
    const network = ip(s.network);
    if (network === undefined || s.prefix === undefined) {
      notes.push(`${s.file} line ${s.line}: subnet ${s.network} netmask ${s.netmask} has a non-contiguous netmask; it is left out of the scopes`);
      continue;
    }
    // Pools in a shared-network belong to the subnet their addresses are in.
    const ranges = [...s.ranges, ...s.pools.flatMap((p) => p.ranges)];
    for (const p of sharedPools) if (subnetOf(p.ranges[0]!.start, [s])) ranges.push(...p.ranges);
    const fact: ScopeFact = { network, prefix: s.prefix };
    if (ranges.length === 1) {
      fact.rangeStart = ip(ranges[0]!.start)!;
      fact.rangeEnd = ip(ranges[0]!.end)!;
    }
    if (s.sharedNetwork !== undefined) fact.name = s.sharedNetwork;
    out.push(fact);
  }
  return out;
}

function parseVersion(text: string): ServerVersion | undefined {
  const m = /^isc-dhcpd-(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return {
    product: PRODUCTS['isc-dhcpd'],
    major: Number(m[1]),
    minor: Number(m[2]),
    ...(m[3] !== undefined ? { build: Number(m[3]) } : {}),
    text: text.replace(/^isc-dhcpd-/, ''),
  };
}

function toOmapiKey(k: DhcpdKey): OmapiKey | undefined {
  const secret = k.secretBytes();
  // As written in a conf (base64): masked wherever it might surface (util/secrets.ts).
  if (secret) registerSecret(secret.toString('base64'));
  return secret ? { name: k.name, algorithm: k.algorithm ?? 'hmac-md5', secret } : undefined;
}

/** The key OMAPI is signed with: the key file's, else the one the conf names with omapi-key. */
async function chooseKey(
  conf: DhcpdConf,
  keyFile: string | undefined,
  cwd: string,
  deadline: InputDeadline,
): Promise<{ key?: OmapiKey; from?: 'conf' | 'key file'; hide: string[] }> {
  const hide = conf.keys.map((k) => k.secretBytes()?.toString('base64') ?? '');
  for (const secret of hide) registerSecret(secret);
  if (keyFile !== undefined) {
    const { bytes } = await readGuarded(keyFile, { purpose: 'secret', label: '--omapi-key-file', ...deadline });
    let keys: DhcpdKey[];
    try {
      keys = parseDhcpdConf(keyFile, { cwd, purpose: 'secret', bytes }).keys;
    } catch (err) {
      throw new InputError(`--omapi-key-file: ${errorText(err)}`);
    } finally {
      // The text holds the secret in base64; the key keeps only its decoded bytes.
      bytes.fill(0);
    }
    const k = keys.find((x) => x.name === conf.omapiKey?.value) ?? keys[0];
    if (!k) throw new InputError(`--omapi-key-file: ${keyFile} holds no key block (key NAME { algorithm hmac-md5; secret "..."; };)`);
    const key = toOmapiKey(k);
    if (!key) throw new InputError(`--omapi-key-file: key "${k.name}" in ${keyFile} has no secret`);
    return { key, from: 'key file', hide: [...hide, key.secret.toString('base64')] };
  }
  const named = conf.omapiKey ? conf.keys.find((k) => k.name === conf.omapiKey!.value) : undefined;
  const key = named ? toOmapiKey(named) : undefined;
  return key ? { key, from: 'conf', hide } : { hide };
}

const STOPPED_CODES = new Set(['refused']);
// A reply whose signature does not verify is not known to be this server's: no verdict from it.
const KEY_CODES = new Set(['invalid-key', 'key-required']);

async function askOmapi(conf: DhcpdConf, host: string, key: OmapiKey | undefined, opts: DhcpdLoadOptions): Promise<DhcpdOmapiFacts> {
  const port = conf.omapiPort!.value;
  const names = conf.failoverPeers.length > 0 ? conf.failoverPeers.map((p) => p.name) : [''];
  const results = await Promise.all(
    names.map((peerName) =>
      readFailoverState(host, port, { timeoutMs: opts.timeoutMs, peerName, ...(key ? { key } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }).then(
        (s) => ({ ok: true as const, peerName, s }),
        (err: unknown) => ({ ok: false as const, peerName, err }),
      ),
    ),
  );
  const states: DhcpdLiveState[] = [];
  let failure: { code: string; message: string } | undefined;
  for (const r of results) {
    if (r.ok) {
      states.push({
        peer: r.peerName,
        ...(r.s.localStateName ? { localState: r.s.localStateName } : { localState: `state ${r.s.localState}` }),
        ...(r.s.partnerStateName ? { partnerState: r.s.partnerStateName } : { partnerState: `state ${r.s.partnerState}` }),
        ...(r.s.hierarchy ? { hierarchy: r.s.hierarchy } : {}),
        ...(r.s.mclt !== undefined ? { mclt: r.s.mclt } : {}),
        ...(r.s.loadBalanceMaxSecs !== undefined ? { loadBalanceMaxSecs: r.s.loadBalanceMaxSecs } : {}),
      });
      continue;
    }
    const code = r.err instanceof ProbeError ? r.err.code : 'error';
    if (code === 'not-found') {
      if (r.peerName !== '') states.push({ peer: r.peerName, error: errorText(r.err) });
      continue;
    }
    failure ??= { code, message: errorText(r.err) };
  }
  const outcome: DhcpdOmapiFacts['outcome'] = !failure
    ? 'answered'
    : STOPPED_CODES.has(failure.code)
      ? 'refused'
      : KEY_CODES.has(failure.code)
        ? 'key-refused'
        : 'no-answer';
  return { host, port, outcome, ...(failure ? { error: failure.message, errorCode: failure.code } : {}), states };
}

async function resolveNames(conf: DhcpdConf, opts: DhcpdLoadOptions, notes: string[]): Promise<Record<string, string[]>> {
  const names = new Set<string>();
  for (const p of conf.failoverPeers) for (const a of [p.address?.value, p.peerAddress?.value]) if (a !== undefined && !looksLikeIPv4(a)) names.add(a);
  const out: Record<string, string[]> = {};
  await Promise.all(
    [...names].map(async (n) => {
      try {
        out[n] = await resolveIPv4(n, opts.timeoutMs, opts.signal);
      } catch (err) {
        notes.push(`failover peer address ${n}: ${errorText(err)}`);
      }
    }),
  );
  return out;
}

/** The facts a conf declares (no live part): what the platform rules compare. */
export function dhcpdConfFacts(conf: DhcpdConf, resolved: Record<string, string[]> = {}, notes: string[] = []): ServerFacts {
  const path = conf.file;
  const subnets = subnetIndex(conf);
  const dhcpd: DhcpdFacts = {
    conf: path,
    files: conf.files,
    peers: conf.failoverPeers,
    pools: conf.pools.map((p) => poolFact(p, conf, subnets)),
    resolved,
  };

  const addresses = new Set<string>();
  for (const p of conf.failoverPeers) {
    const a = p.address?.value;
    if (a === undefined) continue;
    if (looksLikeIPv4(a)) addresses.add(a);
    for (const r of resolved[a] ?? []) addresses.add(r);
  }
  const relationships: Relationship[] = conf.failoverPeers.map((p) => ({
    name: p.name,
    ...(p.peerAddress ? { partner: p.peerAddress.value } : {}),
    ...(p.role ? { mode: p.role.value } : {}),
    scopeIds: [...new Set(dhcpd.pools.filter((x) => x.peer === p.name && x.subnet).map((x) => x.subnet!.split('/')[0]!))],
  }));

  const facts: ServerFacts = { source: `dhcpd:${path}`, platform: 'isc-dhcpd', relationships, scopes: scopesOf(conf, notes), dhcpd };
  if (addresses.size > 0) facts.addresses = [...addresses];

  return facts;
}

export async function loadDhcpd(path: string, opts: DhcpdLoadOptions): Promise<ServerFacts> {
  const cwd = opts.cwd ?? process.cwd();
  const deadline = { timeoutMs: opts.timeoutMs, signal: opts.signal };
  const { bytes, pipe } = await readGuarded(path, { purpose: 'server-config', label: 'dhcpd', ...deadline });
  // Sliced: a signal is heard while a large conf is parsed, and stops the parse.
  const conf = await parseDhcpdConfSliced(path, { cwd, bytes, signal: opts.signal });
  const { key, from, hide } = await chooseKey(conf, opts.omapiKeyFile, cwd, deadline);
  const notes: string[] = [];
  const host = opts.server?.host ?? '127.0.0.1';

  const [resolved, omapi, sanity, binaryVersion] = await Promise.all([
    resolveNames(conf, opts, notes),
    conf.omapiPort ? askOmapi(conf, host, key, opts) : Promise.resolve(undefined),
    // A pipe has been read: dhcpd would find it empty, or wait on a FIFO for a writer.
    hasDhcpdBinary() && !pipe
      ? dhcpdTest(path, { timeoutMs: opts.timeoutMs, cwd, hide, ...(opts.signal ? { signal: opts.signal } : {}) })
      : Promise.resolve(undefined),
    opts.server?.thisMachine && hasDhcpdBinary()
      ? dhcpdVersion({ timeoutMs: opts.timeoutMs, cwd, ...(opts.signal ? { signal: opts.signal } : {}) })
      : Promise.resolve(undefined),
  ]);
  if (omapi && key && from) omapi.key = { name: key.name, from };
  key?.secret.fill(0);

  const facts = dhcpdConfFacts(conf, resolved, notes);
  const dhcpd = facts.dhcpd!;
  if (omapi) dhcpd.omapi = omapi;
  if (sanity) dhcpd.sanity = sanity;
  if (binaryVersion) dhcpd.localBinaryVersion = binaryVersion;

  // Version: this machine's dhcpd says it exactly; a failover-state answering proves at least 3.0.
  const exact = binaryVersion ? parseVersion(binaryVersion) : undefined;
  if (exact) facts.version = exact;
  else if (omapi?.states.some((s) => s.localState !== undefined)) {
    facts.version = { product: PRODUCTS['isc-dhcpd'], major: 3, minor: 0, text: 'ISC dhcpd 3.0 or later (its OMAPI failover-state answers)', lowerBound: true };
  }

  // A conf that opens no OMAPI, or where nothing listens on its omapi-port, is known from
  // configuration only (before deploy). A silent or garbled port is something there: not that.
  if (!omapi || omapi.outcome === 'refused') facts.running = false;
  if (omapi) {
    const service = serviceOf(omapi);
    if (service) facts.service = service;
    const identity = identityOf(omapi);
    if (identity) facts.identity = identity;
    if (omapi.outcome !== 'answered') notes.push(`OMAPI ${omapi.host}:${omapi.port}: ${omapi.error?.replace(/^OMAPI \S+: /, '') ?? omapi.outcome}`);
  } else {
    notes.push(
      `${path} sets no omapi-port: the running server (service, failover state, who may administer it) is not asked; an omapi-port with an omapi-key in dhcpd.conf would answer that`,
    );
  }
  if (sanity?.error) notes.push(`dhcpd -t: ${sanity.error}`);
  if (notes.length > 0) facts.notes = notes;
  return facts;
}

function serviceOf(omapi: DhcpdOmapiFacts): ServiceStatus | undefined {
  const where = `OMAPI ${omapi.host}:${omapi.port}`;
  if (omapi.outcome === 'answered' || omapi.outcome === 'key-refused') return { state: 'running', raw: `dhcpd answers on ${where}` };
  if (omapi.outcome === 'refused') return { state: 'stopped', raw: `nothing listens on ${where} (the conf's omapi-port): connection refused` };
  return undefined;
}

function identityOf(omapi: DhcpdOmapiFacts): Identity | undefined {
  const user = omapi.key ? `OMAPI key "${omapi.key.name}" (${omapi.key.from})` : 'OMAPI without a key';
  if (omapi.outcome === 'answered') return { user, isDhcpAdministrator: true };
  if (omapi.outcome === 'key-refused') return { user, isDhcpAdministrator: false };
  return undefined;
}
