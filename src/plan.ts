import type { CheckId } from './checks/ids.js';
import type { SourceSpec } from './sources/kinds.js';
import type { LdapOptions } from './probes/ldap.js';

export type { LdapOptions, SourceSpec };

// The validated description of one run; built by config.ts from argv and/or a config file.

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

export const FORMATS = ['human', 'json', 'junit', 'tap', 'markdown', 'nagios'] as const;
export type Format = (typeof FORMATS)[number];

export interface KeaOptions {
  user?: string;
  /** From KEA_PASSWORD or --kea-password-file: never printed. */
  password?: string;
  caFile?: string;
}


export interface Plan {
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
  /** undefined: the platform's own (647 for Windows and ISC dhcpd, the HA peer URL's port for Kea). */
  failoverPort?: number;
  timeoutMs: number;
  /** Selected checks, in documented order. */
  checks: CheckId[];
  ignore: CheckId[];
  format: Format;
  outputs: { format: Format; path: string }[];
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  kea?: KeaOptions;
  /** A file with an OMAPI `key` block for dhcpd sources (read by the source; its secret is never printed). */
  omapiKeyFile?: string;
  ldap?: LdapOptions;
}
