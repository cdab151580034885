import type { Relationship, ScopeFact, ServerFacts, ServerVersion } from '../facts.js';
import type { Platform } from './ids.js';

// What failover means on one platform. Platforms judge facts; they never fetch them (sources do)
// and never word the documented outcome (checks do). Everything that differs by platform lives
// behind this interface, so a check never names a platform.

/** The two servers as a check sees them: facts may be missing (no source, or it failed). */
export interface Pair {
  local?: ServerFacts;
  partner?: ServerFacts;
  /** The partner's address as the run resolved it. */
  partnerAddress?: string;
  /** The partner's live control endpoint (a Kea agent, an OMAPI port), from its source spec. */
  partnerEndpoint?: { host: string; port: number };
  /** The name the new relationship will get (--relationship-name). */
  relationshipName?: string;
}

/**
 * A rule of the platform's beyond the documented nine (replication, dns-updates): the check maps
 * `kind` to its codes and words the outcome; the platform gives the sentences.
 */
export interface RuleVerdict<K extends string> {
  kind: K;
  /** One sentence: why it passes, what is unknown, or what is wrong. */
  summary: string;
  /** Each wrong thing, one line. */
  problems: string[];
  /** What each side showed. */
  evidence: string[];
  fix?: string;
  details: Record<string, unknown>;
}

export type ReplicationVerdict = RuleVerdict<'consistent' | 'missing' | 'unknown' | 'not-applicable'>;
export type DnsUpdatesVerdict = RuleVerdict<'same-credential' | 'no-updates' | 'different' | 'unknown' | 'not-applicable'>;

export interface VersionVerdict {
  /** undefined: no minimum is known for this platform. */
  supported: boolean | undefined;
  minimum?: string;
  /** "Windows DHCP Server 6.3 (Windows Server 2012 R2)" */
  described: string;
}

export interface PairProblems {
  /** Each a sentence of the platform's; the check puts the documented message first. */
  problems: string[];
  fix?: string;
  /** Facts about the pair worth showing (situation, notes). */
  details?: Record<string, unknown>;
}

export interface RelationshipLimit {
  max?: number;
  why: string;
}

/** A relationship already pairing these two servers: re-validation, not a new relationship. */
export interface ExistingPairing {
  local: string;
  partner: string;
  mode?: string;
}

export interface Endpoint {
  port: number;
  /** What listens there, for messages: "failover", "Kea HA listener", ... */
  what: string;
  /** Why this port, when it is not the obvious one ("before setup: the control port"). */
  note?: string;
  /** Where a firewall would block it: "Windows firewall rule ...". */
  firewall?: string;
}

export interface ClockLimit {
  seconds: number;
  from: string;
}

/** The platform's own measure of the clock difference between the two servers. */
export interface PairClock {
  /** partner − local. */
  differenceMs: number;
  errorMs: number;
  source: string;
}

export interface ClockAdvice {
  /** Above this (and under the limit) the pair works, but the platform complains. */
  warnAboveSeconds: number;
  text: string;
  fix: string;
}

export type ScopeJudgement =
  | {
      /** Windows: the partner must not hold the scopes (failover creates them there). */
      rule: 'absent-on-partner';
      collisions: {
        scope: ScopeFact;
        same?: ScopeFact;
        overlapping: ScopeFact[];
        /** Why this collision is a deployment of its own (a split scope), and the way out of it. */
        kind?: { what: string; wayOut: string };
      }[];
      fix: string;
    }
  | {
      /** Kea, dhcpd: no configuration is replicated, so both must hold the same ones. */
      rule: 'same-on-both';
      /** Why the rule holds on this platform, one sentence. */
      why: string;
      problems: string[];
      missing: string[];
      /** A scope missing on the partner fails (a configured pair) or only warns (before setup). */
      missingFails: boolean;
      /** Works today, but fragile (e.g. Kea subnets without an id). */
      warnings?: string[];
      fix: string;
      details?: Record<string, unknown>;
    };

export type PairRuleCode =
  | 'tls-one-side'
  | 'tls-untrusted'
  | 'hook-path'
  | 'port-collision'
  | 'timers-unsafe'
  | 'ha-not-operating'
  | 'timers-differ'
  | 'listener-mismatch'
  | 'versions-lose-updates'
  | 'ha-transition'
  | 'parameters-differ'
  | 'ha-listener-refused';

/** One pair rule's finding (the two sides' configurations or states do not form a working pair). */
export interface PairFinding {
  /** The slug of the `peers` outcome code this finding gives ("tls-one-side" → peers.tls-one-side). */
  code: PairRuleCode;
  level: 'fail' | 'warn';
  text: string;
  /** What each side shows, one line each. */
  evidence: string[];
  fix: string;
  /** The ISC document or source the rule comes from. */
  source: string;
}

export interface PairingVerdict {
  situation: string;
  /** Pair rules with their own codes (the failures/warnings above keep peers.disagree / peers.attention). */
  findings?: PairFinding[];
  failures: string[];
  warnings: string[];
  fixes: string[];
  /** Said on a pass. */
  summary: string;
  /** Why these sources give nothing to compare (the check skips, saying so). */
  notApplicable?: string;
}

export interface Fixes {
  version: string;
  permissions: string;
  service: string;
  relationships: string;
  time: string;
  /** Authorization in a directory, where the platform has one. */
  authorization?: string;
  /** How to give a server a static address on this platform. */
  staticAddress?: string;
}

export interface PlatformModule {
  id: Platform;
  /** "Windows DHCP Server", "Kea", "ISC dhcpd". */
  product: string;
  /** The version as an admin would name it. */
  versionVerdict(facts: ServerFacts & { version: ServerVersion }): VersionVerdict;
  /** What else the pair needs to run failover at all (Kea: the lease_cmds hook). */
  pairRequirements?(pair: Pair): PairProblems;
  relationshipLimit(facts: ServerFacts): RelationshipLimit;
  existingPairing?(pair: Pair): ExistingPairing | undefined;
  /** A new relationship that the platform refuses beside the ones a server has (Kea: modes). */
  relationshipConflicts?(pair: Pair): string[];
  /** The port failover (HA) traffic to the partner uses. */
  failoverEndpoint(pair: Pair): Endpoint;
  /** The strictest clock difference the platform itself tolerates for this server, if any. */
  clockLimit(facts: ServerFacts | undefined): ClockLimit | undefined;
  clockAdvice?: ClockAdvice;
  /**
   * The TCP port where this platform's servers answer an SMB2 NEGOTIATE, whose reply carries their
   * clock before any authentication: a clock for servers that serve no NTP (Windows member servers).
   */
  smbClockPort?: number;
  /** What the servers themselves measured between them (Kea 3.0's status-get clock-skew). */
  pairClock?(pair: Pair): PairClock | undefined;
  /** The scopes the pairing concerns on each side (hub-and-spoke: only this relationship's). */
  pairScopes?(pair: Pair): { local?: ScopeFact[]; partner?: ScopeFact[] };
  /** A local scope that already belongs to another relationship, where the platform forbids it. */
  scopeTaken?(local: ServerFacts, scope: ScopeFact): Relationship | undefined;
  judgeScopes(shared: ScopeFact[], partner: ScopeFact[], pair: Pair): ScopeJudgement;
  /**
   * Whether what failover replicates with the shared scopes (options, policies) can land on the
   * partner: the server-level definitions they use must exist there (Windows classes, option definitions).
   */
  replication?(pair: Pair, sharedScopeIds: string[]): ReplicationVerdict;
  /** Whether either server can update the DNS records the other registers. */
  dnsUpdates?(pair: Pair): DnsUpdatesVerdict;
  /**
   * The pairing rule behind `peers`; undefined: the platform has none to compare. May load its
   * rules on demand: Kea's and dhcpd's are a fifth of the run's code, and a Windows run needs none.
   */
  pairing?(pair: Pair): PairingVerdict | Promise<PairingVerdict>;
  /**
   * The platform's own error for a failure the check predicted (Windows: the Win32 error of
   * Add-DhcpServerv4Failover), and the details key it goes under.
   */
  nativeError?(outcomeCode: string, message: string): { key: string; code: number; name: string; said: string } | undefined;
  /** Whether failover peers may be IPv6 addresses (Kea HA); absent: IPv4 only. */
  ipv6Peers?: boolean;
  /** Whether servers of this platform must be authorized in Active Directory. */
  directoryAuthorization: boolean;
  fixes: Fixes;
}
