import type { Plan } from './plan.js';
import type { ServerFacts } from './facts.js';

export type Role = 'local' | 'partner';

/** The partner as the run understood it; resolved once, read by dns, ip and every probe. */
export interface PartnerAddress {
  input: string;
  kind: 'address' | 'name';
  /** The IPv4 address (given, or resolved); undefined when invalid or unresolved. */
  address?: string;
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
  readonly plan: Plan;
  readonly signal: AbortSignal;
  partner(): Promise<PartnerAddress>;
  /** Throws ProbeError when a live source could not be asked; undefined when no source was given. */
  facts(role: Role): Promise<ServerFacts | undefined>;
  /** Throws ProbeError when the clock could not be read. */
  clock(role: Role): Promise<ClockReading>;
  /** The local server's own IPv4 addresses (this machine's interfaces, or its facts). */
  localAddresses(): Promise<string[]>;
}
