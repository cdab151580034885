/** Where a fact was declared: the file as dhcpd would open it, and the 1-based line. */
export interface Where {
  file: string;
  line: number;
}

/** A declared value and where it was declared. Undeclared values are absent, never defaulted. */
export interface Located<T> extends Where {
  value: T;
}

export type FailoverRole = 'primary' | 'secondary';

/**
 * One `failover peer "name" { ... }` declaration, as declared (dhcpd's defaults, e.g. port 647,
 * are not filled in: a checker must be able to tell "not said" from "said"). Numbers are what
 * dhcpd stores for the text (glibc atoi, then the field's C type).
 */
export interface DhcpdFailoverPeer extends Where {
  name: string;
  /** The explicit `shared-network` it was declared in; absent at the outer scope. */
  sharedNetwork?: string;
  role?: Located<FailoverRole>;
  /** This server's address: a dotted IPv4 address or a host name, as dhcpd would look it up. */
  address?: Located<string>;
  port?: Located<number>;
  peerAddress?: Located<string>;
  peerPort?: Located<number>;
  mclt?: Located<number>;
  /** `split N` (0..256); dhcpd turns it into an hba whose first N bits are set. */
  split?: Located<number>;
  /** `hba` as written: 32 bytes, lower-case colon-hex. */
  hba?: Located<string>;
  maxResponseDelay?: Located<number>;
  /** `peer max-response-delay N` (the partner's side; rarely written). */
  peerMaxResponseDelay?: Located<number>;
  maxUnackedUpdates?: Located<number>;
  peerMaxUnackedUpdates?: Located<number>;
  loadBalanceMaxSeconds?: Located<number>;
  autoPartnerDown?: Located<number>;
  maxLeaseMisbalance?: Located<number>;
  maxLeaseOwnership?: Located<number>;
  minBalance?: Located<number>;
  maxBalance?: Located<number>;
}

/** `range [dynamic-bootp] start [end];` (end = start when omitted). */
export interface DhcpdRange extends Where {
  start: string;
  end: string;
  dynamicBootp: boolean;
}

export type PermitVerb = 'allow' | 'deny';

/** One `allow|deny <permit>;` inside a pool, e.g. `deny dynamic bootp clients`. */
export interface DhcpdPermit extends Where {
  verb: PermitVerb;
  /** The permit in dhcpd's words, lower-case and single-spaced: `dynamic bootp clients`, `members of "x"`. */
  what: string;
}

/** Where a pool sits: directly in a subnet (which may be in a shared-network), or in a shared-network. */
export type PoolParent = { kind: 'subnet'; network: string; netmask: string; sharedNetwork?: string } | { kind: 'shared-network'; sharedNetwork: string };

export interface DhcpdPool extends Where {
  parent: PoolParent;
  ranges: DhcpdRange[];
  /**
   * The failover peer the pool serves: its own `failover peer "x";`, or the one its shared-network
   * named before the pool (`from` says which). `no failover peer;` clears it.
   */
  failoverPeer?: Located<string> & { from: 'pool' | 'shared-network' };
  permits: DhcpdPermit[];
}

export interface DhcpdSubnet extends Where {
  network: string;
  netmask: string;
  /** Undefined for a non-contiguous netmask (dhcpd accepts one). */
  prefix: number | undefined;
  sharedNetwork?: string;
  /** Pools declared directly in this subnet. */
  pools: DhcpdPool[];
  /** Ranges directly in the subnet, outside any pool. */
  ranges: DhcpdRange[];
  /** `allow|deny|ignore dynamic-bootp;` in the subnet itself. */
  dynamicBootp?: Located<'allow' | 'deny' | 'ignore'>;
}

export interface DhcpdSharedNetwork extends Where {
  name: string;
  subnets: DhcpdSubnet[];
  /** Pools declared directly in the shared-network. */
  pools: DhcpdPool[];
  /** A `failover peer "x";` reference in the shared-network (inherited by later pools). */
  failoverPeer?: Located<string>;
  dynamicBootp?: Located<'allow' | 'deny' | 'ignore'>;
}

/**
 * A `key name { algorithm ...; secret "..."; }` block. The secret lives in a private field: it is
 * not enumerable, not in JSON.stringify, util.inspect or toString; only `secretBytes()` (for the
 * OMAPI client) reads it.
 */
export class DhcpdKey implements Where {
  readonly #secret: Buffer | undefined;

  constructor(
    readonly name: string,
    /** As written (`hmac-md5`); dhcpd appends `.SIG-ALG.REG.INT.` to a name without a dot. */
    readonly algorithm: string | undefined,
    secret: Buffer | undefined,
    readonly file: string,
    readonly line: number,
  ) {
    this.#secret = secret === undefined ? undefined : Buffer.from(secret);
  }

  get hasSecret(): boolean {
    return this.#secret !== undefined;
  }

  /** The decoded key bytes (the HMAC key), a fresh copy each call. */
  secretBytes(): Buffer | undefined {
    return this.#secret === undefined ? undefined : Buffer.from(this.#secret);
  }

  toString(): string {
    return `key "${this.name}"`;
  }

  toJSON(): { name: string; algorithm: string | undefined; hasSecret: boolean; file: string; line: number } {
    return { name: this.name, algorithm: this.algorithm, hasSecret: this.hasSecret, file: this.file, line: this.line };
  }
}

export interface DhcpdConf {
  /** The file parsed, as given. */
  file: string;
  /** Every file read, in the order dhcpd would open them (the main one first). */
  files: string[];
  failoverPeers: DhcpdFailoverPeer[];
  /** Every subnet, in declaration order, including those inside shared-networks. */
  subnets: DhcpdSubnet[];
  sharedNetworks: DhcpdSharedNetwork[];
  /** Every pool, in declaration order (the same objects as in subnets and shared-networks). */
  pools: DhcpdPool[];
  /** `omapi-port N;` at the outer scope. */
  omapiPort?: Located<number>;
  /** `omapi-key name;` at the outer scope. */
  omapiKey?: Located<string>;
  keys: DhcpdKey[];
}
