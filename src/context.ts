import { hostname, networkInterfaces } from 'node:os';
import type { PairingPlan } from './plan.js';
import type { ServerFacts } from './facts.js';
import type { DirectoryFacts } from './probes/ldap.js';
import { looksLikeIPv4, parseIPv4 } from './net/ipv4.js';
import { icmpEcho } from './probes/icmp.js';
import { tcpConnect } from './probes/tcp.js';
import { isFileSource, loadSource } from './sources/index.js';
import { impliedPlatform, specEndpoint } from './sources/kinds.js';
import type { Platform } from './platforms/ids.js';
import { platformOf } from './platforms/index.js';
import { PRODUCTS } from './platforms/ids.js';
import { ProbeError, errorText } from './util/errors.js';
import { isIPv6 } from './net/ipv6.js';

export type Role = 'local' | 'partner';
export type { DirectoryFacts };

/** What a server's source spec says before anything is read. */
export interface SourceHint {
  platform?: Platform;
  /** The live endpoint a URL source talks to. */
  endpoint?: { host: string; port: number };
}

/** One probe's answer or why there is none; never thrown, so both probes are always reported. */
export type Probed<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface Reach {
  /** Absent when TCP answered at once: the host is then known to be there. */
  icmp?: Probed<{ rttMs: number }>;
  tcp: Probed<{ connectMs: number }>;
  /** The peer's own TCP stack answered: it accepted, refused or reset the connection. */
  tcpAnswered: boolean;
}

/** The partner as the run understood it; resolved once, read by dns, ip and every probe. */
export interface PartnerAddress {
  input: string;
  kind: 'address' | 'name';
  /** The IPv4 address (given, or resolved), or an IPv6 address given; undefined when invalid or unresolved. */
  address?: string;
  /** 6 for an IPv6 address (only Kea HA may use one); absent: IPv4. */
  family?: 6;
  /** Why there is no address (DNS failure cause or "invalid IPv4 address"). */
  error?: string;
}

/** One clock compared with ours: how far ahead of this machine's clock it is. */
export interface ClockReading {
  offsetMs: number;
  /** Round-trip delay of the measurement. */
  delayMs: number;
  /** Half the round trip plus the source's resolution: the true offset is within ± this. */
  errorMs: number;
  /** "this machine", "sntp 127.0.0.1:123", "http-date ...", ... */
  source: string;
  stratum?: number;
}

/** Memoised facts for one run: each is computed at most once however many checks ask. */
export interface Context {
  readonly plan: PairingPlan;
  readonly signal: AbortSignal;
  partner(): Promise<PartnerAddress>;
  /** Throws ProbeError when a live source could not be asked; undefined when no source was given. */
  facts(role: Role): Promise<ServerFacts | undefined>;
  /** Throws ProbeError when the clock could not be read. */
  clock(role: Role): Promise<ClockReading>;
  /** The local server's own IPv4 addresses (this machine's interfaces, or its facts). */
  localAddresses(): Promise<string[]>;
  /** What the directory says (--ldap); undefined without one; throws ProbeError when it cannot be asked. */
  directory(): Promise<DirectoryFacts | undefined>;
  /** ICMP echo and a TCP connect to host:port, at the same time. */
  reach(host: string, port: number): Promise<Reach>;
  sourceHints(): Record<Role, SourceHint>;
}

/**
 * What several runs share (a plan file's pairings): facts and clock readings are keyed by server,
 * not by role, so a hub in ten pairings is read once; reachability probes by host and port.
 */
export interface SharedMemo {
  memo: Map<string, Promise<unknown>>;
  /** A stable key per server of this run (a plan's server name). */
  servers: Record<Role, string>;
}

/** Creates the memoised context; nothing is fetched until a check asks. */
export function createContext(plan: PairingPlan, signal: AbortSignal, shared?: SharedMemo): Context & { loadFileSources(): Promise<void> } {
  const memo = new Map<string, Promise<unknown>>();
  const common = shared?.memo ?? memo;
  const server = (role: Role) => (shared ? `server:${shared.servers[role]}` : role);
  const once = <T>(key: string, work: () => Promise<T>, store = memo): Promise<T> => {
    let p = store.get(key) as Promise<T> | undefined;
    if (!p) {
      p = work();
      // A rejection is read by whichever checks await it; this keeps Node from calling it unhandled.
      p.catch(() => {});
      store.set(key, p);
    }
    return p;
  };
  const localIsThisMachine = plan.local === undefined || isThisMachine(plan.local);
  let hints: Record<Role, SourceHint> | undefined;

  const ctx = {
    plan,
    signal,
    partner: () => once('partner', () => resolvePartner(plan.partner, plan.timeoutMs, signal)),
    facts: (role: Role) =>
      once(
        `facts:${server(role)}`,
        async () => {
          const spec = role === 'local' ? plan.localSource : plan.partnerSource;
          if (!spec) return undefined;
          const where = role === 'local' ? { host: plan.local ?? '127.0.0.1', thisMachine: localIsThisMachine } : { host: plan.partner, thisMachine: false };
          const facts = await loadSource(spec, {
            timeoutMs: plan.timeoutMs,
            signal,
            kea: plan.kea,
            server: where,
            ...(plan.omapiKeyFile !== undefined ? { omapiKeyFile: plan.omapiKeyFile } : {}),
          });
          return withKeaVersion(facts, plan.keaVersion);
        },
        common,
      ),
    clock: (role: Role) => once(`clock:${server(role)}`, () => readClock(role), common),
    localAddresses: () =>
      once('local-addresses', async () => {
        const found = new Set<string>();
        if (localIsThisMachine) {
          for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') found.add(a.address);
        } else if (parseIPv4(plan.local!) !== undefined) {
          found.add(plan.local!);
        } else {
          const { resolveIPv4 } = await import('./probes/dns.js');
          for (const a of await resolveIPv4(plan.local!, plan.timeoutMs, signal).catch(() => [])) found.add(a);
        }
        const facts = await ctx.facts('local').catch(() => undefined);
        for (const a of facts?.addresses ?? []) found.add(a);
        return [...found];
      }),
    directory: () =>
      once('directory', async () => {
        if (!plan.ldap) return undefined;
        const [partner, local, localFacts] = await Promise.all([ctx.partner(), ctx.localAddresses(), ctx.facts('local').catch(() => undefined)]);
        const { queryDirectory } = await import('./probes/ldap.js');
        return queryDirectory(
          plan.ldap,
          {
            local: { name: localFacts?.name ?? plan.local ?? hostname(), address: local.find((a) => !a.startsWith('127.')) },
            partner: { name: partner.kind === 'name' ? partner.input : undefined, address: partner.address },
          },
          { timeoutMs: plan.timeoutMs, signal },
        );
      }),
    reach: (host: string, port: number) => once(`reach:${host}:${port}`, () => probeReach(host, port, plan.timeoutMs, signal), common),
    sourceHints: () => (hints ??= sourceHintsOf(plan)),
    async loadFileSources() {
      // One after the other: parsing is synchronous anyway, and two 100 MB texts alive at once
      // would double the peak memory for no gain in time.
      for (const role of ['local', 'partner'] as const) {
        const spec = role === 'local' ? plan.localSource : plan.partnerSource;
        // Interrupted while a pipe was awaited: no input error, the checks report the interruption.
        if (spec && isFileSource(spec))
          await ctx.facts(role).catch((err: unknown) => {
            if (!signal.aborted) throw err;
          });
      }
    },
  };
  /**
   * NTP, and SMB2 for a server whose platform answers it (or when --<role>-smb names an endpoint),
   * asked at the same time; the reading with the smaller error bound wins. When neither was asked
   * or answered, SMB2 at <address>:445 is tried after a silent NTP, then a Kea agent's own clock.
   */
  async function readClock(role: Role): Promise<ClockReading> {
    // The SMB2 clock is a Windows server's: a Kea or dhcpd pair is never asked on 445 unless told.
    const pairPlatformId = await pairPlatformIdOf();
    const explicitSmb = role === 'local' ? plan.localSmb : plan.partnerSmb;
    let ntp = role === 'local' ? plan.localNtp : plan.partnerNtp;
    if (!ntp && !explicitSmb && role === 'local' && localIsThisMachine) return { offsetMs: 0, delayMs: 0, errorMs: 0, source: 'this machine' };
    let host: string | undefined;
    if (role === 'local') host = localIsThisMachine ? undefined : plan.local;
    else {
      const partner = await ctx.partner();
      host = partner.address;
      if (!host && !ntp && !explicitSmb) throw new ProbeError(`no address for ${plan.partner} to ask for the time`, 'no-address');
    }
    if (!ntp && host) ntp = { host, port: 123 };
    const smbPort = explicitSmb ? undefined : await smbClockPortOf(role);
    const smb = explicitSmb ?? (host && smbPort !== undefined ? { host, port: smbPort } : undefined);
    // The clock probes load on first use: a run without the time check never needs them (nor dgram).
    const askNtp = async (e: { host: string; port: number }) =>
      (await import('./probes/sntp.js'))
        .sntpQuery(e.host, e.port, { timeoutMs: plan.timeoutMs, signal })
        .then((r): ClockReading => ({ offsetMs: r.offsetMs, delayMs: r.delayMs, errorMs: r.delayMs / 2, source: `sntp ${r.server}`, stratum: r.stratum }));
    const askSmb = async (e: { host: string; port: number }) =>
      (await import('./probes/smb2.js'))
        .smb2Time(e.host, e.port, { timeoutMs: plan.timeoutMs, signal })
        .then((r): ClockReading => ({ offsetMs: r.offsetMs, delayMs: r.delayMs, errorMs: r.errorMs, source: `smb2 ${r.server} (SMB ${r.dialect} NEGOTIATE)` }));
    const tried: { what: string; result: Probed<ClockReading> }[] = await Promise.all([
      ...(ntp ? [settle(askNtp(ntp)).then((result) => ({ what: 'NTP', result }))] : []),
      ...(smb ? [settle(askSmb(smb)).then((result) => ({ what: 'SMB2', result }))] : []),
    ]);
    if (!smb && host && (pairPlatformId === undefined || platformOf(pairPlatformId).smbClockPort !== undefined) && !tried.some((t) => t.result.ok)) {
      tried.push({ what: 'SMB2', result: await settle(askSmb({ host, port: SMB_PORT })) });
    }
    const read = tried.flatMap((t) => (t.result.ok ? [t.result.value] : [])).sort((a, b) => a.errorMs - b.errorMs);
    const others = (winner: ClockReading | undefined) =>
      tried.flatMap((t) =>
        t.result.ok ? (t.result.value === winner ? [] : [`${t.result.value.source} ±${t.result.value.errorMs.toFixed(1)} ms`]) : [errorText(t.result.error)],
      );
    const best = read[0];
    if (best) {
      const beside = others(best);
      return beside.length > 0 ? { ...best, source: `${best.source} (beside: ${beside.join('; ')})` } : best;
    }
    // Without NTP or SMB2, a Kea agent's HTTP Date (or ha-heartbeat) is still a clock, if a coarse one.
    const samples = (await ctx.facts(role).catch(() => undefined))?.kea?.clock ?? [];
    const sample = [...samples].sort((a, b) => a.errorMs - b.errorMs)[0];
    const failures = others(undefined);
    if (!sample) {
      const first = tried[0]?.result;
      const code = first && !first.ok && first.error instanceof ProbeError ? first.error.code : 'error';
      throw new ProbeError(failures.join('; ') || 'no clock to ask', code);
    }
    return { offsetMs: sample.offsetMs, delayMs: sample.delayMs, errorMs: sample.errorMs, source: `kea ${sample.source} (${failures.join('; ')})` };
  }

  /** The SMB2 clock port of the server's platform, as its facts or its source spec tell; none for a pair of another platform. */
  async function smbClockPortOf(role: Role): Promise<number | undefined> {
    const platform = (await ctx.facts(role).catch(() => undefined))?.platform ?? ctx.sourceHints()[role].platform;
    const pairId = await pairPlatformIdOf();
    if (pairId !== undefined && platformOf(pairId).smbClockPort === undefined) return undefined;
    return platform ? platformOf(platform).smbClockPort : undefined;
  }

  /** The pair's platform as far as the sources tell (undefined: nothing tells, or `other`). */
  async function pairPlatformIdOf(): Promise<Platform | undefined> {
    const [l, p] = await Promise.all([ctx.facts('local').catch(() => undefined), ctx.facts('partner').catch(() => undefined)]);
    const hints = ctx.sourceHints();
    return [p?.platform, l?.platform, hints.partner.platform, hints.local.platform].find((x): x is Platform => x !== undefined && x !== 'other');
  }

  return ctx;
}

const SMB_PORT = 445;

/** How long a TCP answer may take before ICMP is asked beside it. */
const ICMP_AFTER_MS = 100;

/**
 * A TCP connect, and an ICMP echo only when TCP has not answered within ICMP_AFTER_MS: a
 * handshake, a refusal or a reset already says the host is there, and ICMP would change no
 * verdict while costing a `ping` process (a large share of a loopback run). A timeout or
 * an unreachable error is where ICMP tells "port filtered" from "host down". Neither throws.
 */
export async function probeReach(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Reach> {
  let handshake = false;
  const tcp = settle(tcpConnect(host, port, timeoutMs, signal, () => (handshake = true)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const early = await Promise.race([tcp, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ICMP_AFTER_MS)))]);
  clearTimeout(timer);
  if (early ? answered(early) : handshake) {
    const done = early ?? (await tcp);
    return { tcp: done, tcpAnswered: answered(done) };
  }
  const icmp = settle(icmpEcho(host, timeoutMs, signal));
  const done = await tcp;
  return { icmp: await icmp, tcp: done, tcpAnswered: answered(done) };
}

const answered = (tcp: Probed<unknown>): boolean =>
  tcp.ok || (tcp.error instanceof ProbeError && (tcp.error.code === 'ECONNREFUSED' || tcp.error.code === 'ECONNRESET'));

/** What each side's source spec says before anything is read. */
export function sourceHintsOf(plan: Pick<PairingPlan, 'localSource' | 'partnerSource'>): Record<Role, SourceHint> {
  const hint = (spec: PairingPlan['localSource']): SourceHint => {
    const platform = impliedPlatform(spec);
    const endpoint = specEndpoint(spec);
    return { ...(platform ? { platform } : {}), ...(endpoint ? { endpoint } : {}) };
  };
  return { local: hint(plan.localSource), partner: hint(plan.partnerSource) };
}

const settle = <T>(p: Promise<T>): Promise<Probed<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

function isThisMachine(host: string): boolean {
  const name = hostname().toLowerCase();
  const h = host.toLowerCase();
  return h === 'localhost' || h === name || (h.split('.')[0] === name.split('.')[0] && !looksLikeIPv4(h));
}

/** A Kea configuration file with --kea-version: judged as that version (it says none itself). */
function withKeaVersion(facts: ServerFacts | undefined, v: PairingPlan['keaVersion']): ServerFacts | undefined {
  if (!facts || !v || facts.platform !== 'kea' || facts.version || facts.running !== false) return facts;
  return { ...facts, version: { product: PRODUCTS.kea, major: v.major, minor: v.minor, text: `${v.text} (--kea-version)` } };
}

async function resolvePartner(input: string, timeoutMs: number, signal: AbortSignal): Promise<PartnerAddress> {
  if (isIPv6(input)) return { input, kind: 'address', address: input, family: 6 };
  if (looksLikeIPv4(input)) {
    return parseIPv4(input) === undefined
      ? { input, kind: 'address', error: 'not a valid dotted-quad IPv4 address' }
      : { input, kind: 'address', address: input };
  }
  try {
    // Loaded only for a name: dns/promises is not needed for an address.
    const { resolveIPv4 } = await import('./probes/dns.js');
    const [address] = await resolveIPv4(input, timeoutMs, signal);
    return { input, kind: 'name', address: address! };
  } catch (err) {
    return { input, kind: 'name', error: errorText(err) };
  }
}
