import type { CheckId } from './checks/ids.js';
import type { SourceSpec } from './sources/kinds.js';
import type { LdapOptions } from './probes/ldap.js';

export type { LdapOptions, SourceSpec };

// The validated description of one run: one pairing (argv, a config file, preflight()) or many
// (a plan file), each with its own settings, and how the report is delivered. config.ts builds a
// pairing's settings; plan-of.ts turns them into a Plan; run.ts runs any Plan the same way.

export interface Endpoint {
  host: string;
  port: number;
}

/** A scope the user asked to share: a network address, with a prefix when one was given. */
export interface ScopeRequest {
  text: string;
  network: number;
  prefix?: number;
}

/** Before deploy: servers known from configuration only; live: running servers answer. */
export const PHASES = ['before-deploy', 'live'] as const;
export type Phase = (typeof PHASES)[number];

export { FORMATS, type Format } from './report/names.js';
import type { Format } from './report/names.js';

export interface KeaOptions {
  user?: string;
  /** From KEA_PASSWORD or --kea-password-file: never printed. */
  password?: string;
  caFile?: string;
}

/** One pairing's settings: what its checks read (ctx.plan). */
export interface PairingPlan {
  /** The partner exactly as given. */
  partner: string;
  /** Scopes to share; undefined means every scope of the local server. */
  scopes?: ScopeRequest[];
  /** The local server's name or address; undefined means this machine. */
  local?: string;
  localSource?: SourceSpec;
  partnerSource?: SourceSpec;
  /** undefined: this machine's clock (or <local>:123 when `local` names another host). */
  localNtp?: Endpoint;
  /** undefined: <partner address>:123. */
  partnerNtp?: Endpoint;
  /** SMB2 endpoints whose NEGOTIATE reply carries a clock; undefined: <address>:445 for platforms that serve SMB2. */
  localSmb?: Endpoint;
  partnerSmb?: Endpoint;
  maxTimeSkewSeconds: number;
  /** --max-time-skew as the user gave it; undefined: the default (1m). */
  maxTimeSkewGiven?: string;
  /** undefined: each server's phase follows from its source (a configuration file is before deploy). */
  phase?: Phase;
  /** The Kea a kea-config: file will run on (--kea-version). */
  keaVersion?: { major: number; minor: number; text: string };
  /** undefined: the platform's own (647 for Windows and ISC dhcpd, the HA peer URL's port for Kea). */
  failoverPort?: number;
  timeoutMs: number;
  /** Selected checks, in documented order. */
  checks: CheckId[];
  ignore: CheckId[];
  kea?: KeaOptions;
  /** A file with an OMAPI `key` block for dhcpd sources (read by the source; its secret is never printed). */
  omapiKeyFile?: string;
  ldap?: LdapOptions;
  /** Lines for stderr (unless --quiet) about how the options were read: a flag that outranked a variable. */
  notes?: string[];
  /** --user without --ldap: whose membership of the partner's groups (its bundle's LocalGroups) is judged. */
  user?: string;
  /** --relationship-name: the name the new relationship will get. */
  relationshipName?: string;
}

/** Where and how the report goes: one setting for the whole run, however many pairings. */
export interface OutputSettings {
  format: Format;
  outputs: { format: Format; path: string }[];
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** What config.ts's buildPlan validates: one pairing's settings and the run's output settings. */
export type ResolvedOptions = PairingPlan & OutputSettings;

/** A server of a pairing as the report names it. */
export interface ServerRef {
  /** A plan's server name; for a single run the name or address given (the local: "this machine"). */
  name: string;
  /** The address or DNS name the pairing uses; '' for this machine. */
  address: string;
}

export interface PlannedPairing {
  local: ServerRef;
  partner: ServerRef;
  plan: PairingPlan;
}

/** Everything one run does: its pairings (one for a single run) and where the report goes. */
export interface Plan {
  /** The plan file as given; null for a single run (whose report is the single-pair document). */
  file: string | null;
  pairings: PlannedPairing[];
  output: OutputSettings;
  /** Pairings checked at the same time; undefined: all at once (each waits on sockets, not on a worker). */
  concurrency?: number;
}

/** A single run's plan: one pairing, no plan file. */
export function planOfOne(options: ResolvedOptions): Plan {
  const { format, outputs, color, quiet, verbose, ...pairing } = options;
  return {
    file: null,
    pairings: [
      {
        local: { name: options.local ?? 'this machine', address: options.local ?? '' },
        partner: { name: options.partner, address: options.partner },
        plan: pairing,
      },
    ],
    output: { format, outputs, color, quiet, verbose },
  };
}
