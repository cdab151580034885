import type { DhcpdFailoverPeer, Where } from './types.js';

// What the isc-dhcpd platform's rules need from one dhcpd.conf and, where it enables OMAPI, from
// the running dhcpd. No key secret is ever part of these facts (key names only).

export interface DhcpdRangeFact extends Where {
  start: string;
  end: string;
  /** `range dynamic-bootp ...` */
  dynamicBootp: boolean;
}

export interface DhcpdPoolFact extends Where {
  /** The subnet the pool's addresses are in, "10.99.0.0/24"; undefined when none is known. */
  subnet?: string;
  sharedNetwork?: string;
  ranges: DhcpdRangeFact[];
  /** The failover peer the pool serves (its own statement or its shared-network's). */
  peer?: string;
  /** `allow dynamic bootp clients;` in the pool. */
  allowsDynamicBootp: boolean;
}

/** One failover-state object as dhcpd's OMAPI answered it. */
export interface DhcpdLiveState {
  peer: string;
  localState?: string;
  partnerState?: string;
  hierarchy?: 'primary' | 'secondary';
  mclt?: number;
  loadBalanceMaxSecs?: number;
  /** Why this peer's state is not known (the object does not exist, ...). */
  error?: string;
}

export type OmapiOutcome =
  /** The server answered (a failover-state, or a "not found" for it). */
  | 'answered'
  /** Nothing listens on the omapi-port: dhcpd is not running (or not with this conf). */
  | 'refused'
  /** The server answered, but refused the key or demanded one. */
  | 'key-refused'
  /** No usable answer (silence, garbage, a reset): nothing can be concluded. */
  | 'no-answer';

export interface DhcpdOmapiFacts {
  host: string;
  port: number;
  /** The key's name (never its secret) and where it came from. */
  key?: { name: string; from: 'conf' | 'key file' };
  outcome: OmapiOutcome;
  /** The probe's words when it did not get what it asked for. */
  error?: string;
  errorCode?: string;
  states: DhcpdLiveState[];
}

/** `dhcpd -t -cf <file>`: dhcpd's own judgement of the conf, its error lines verbatim. */
export interface DhcpdSanity {
  binary: string;
  exitCode: number | null;
  /** dhcpd's error and warning lines (banner, echoed conf lines and carets left out). */
  lines: string[];
  /** Why it could not be run or did not finish. */
  error?: string;
}

export interface DhcpdFacts {
  conf: string;
  files: string[];
  /** The failover peer declarations, as declared (dhcpd's defaults not filled in). */
  peers: DhcpdFailoverPeer[];
  pools: DhcpdPoolFact[];
  /** Host names in `address` / `peer address`, resolved (IPv4). */
  resolved: Record<string, string[]>;
  omapi?: DhcpdOmapiFacts;
  sanity?: DhcpdSanity;
  /** `dhcpd --version` of this machine's dhcpd, when the server is this machine. */
  localBinaryVersion?: string;
}
