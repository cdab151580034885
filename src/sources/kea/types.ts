// Facts only a Kea Control Agent can tell; filled in by the Kea source (source.ts). Subnets are
// not here: they are ServerFacts.scopes (with subnetId); only Kea extras keyed by id live below.
// `undefined` means "could not tell" (401, dhcp4 stopped), exactly as in ServerFacts.

export interface KeaPeer {
  name: string;
  /** The peer's Control Agent URL as configured (userinfo removed). */
  url: string;
  /** primary | secondary | standby | backup */
  role: string;
  autoFailover?: boolean;
  /** Per-peer TLS files as configured; "" is kept (Kea: set but empty, no fallback to the relationship's). */
  trustAnchor?: string;
  certFile?: string;
  keyFile?: string;
  /** A non-empty basic-auth-user is configured (the user itself is not kept). */
  basicAuthUser?: boolean;
  /** A basic-auth-password is configured. The password itself is never kept. */
  basicAuthPassword?: boolean;
  basicAuthPasswordFile?: string;
  /** The configured URL carried user:password@, removed from `url`. */
  urlHadUserinfo?: boolean;
}

/** One entry of the HA hook's `high-availability` list (Kea 2.6+ hub-and-spoke may have several). */
export interface KeaHaRelationship {
  thisServerName: string;
  /** hot-standby | load-balancing | passive-backup */
  mode: string;
  peers: KeaPeer[];
  heartbeatDelayMs?: number;
  maxResponseDelayMs?: number;
  /** The rest as configured (absent: Kea's default applies); numbers unchecked, see platforms/kea/ha-rules. */
  maxAckDelayMs?: number;
  maxUnackedClients?: number;
  /** Kea 2.6+. */
  maxRejectedLeaseUpdates?: number;
  delayedUpdatesLimit?: number;
  syncTimeoutMs?: number;
  syncPageLimit?: number;
  sendLeaseUpdates?: boolean;
  syncLeases?: boolean;
  waitBackupAck?: boolean;
  /** Relationship-wide TLS files (a peer's own take precedence); "" is kept. */
  trustAnchor?: string;
  certFile?: string;
  keyFile?: string;
  requireClientCerts?: boolean;
  restrictCommands?: boolean;
  /** The `multi-threading` map. */
  multiThreading?: {
    enableMultiThreading?: boolean;
    httpDedicatedListener?: boolean;
    httpListenerThreads?: number;
    httpClientThreads?: number;
  };
  /** "peers" is missing or not a list (then `peers` is empty). Absent: a list. */
  peersProblem?: 'missing' | 'not-list';
}

/** What status-get says about one relationship right now. */
export interface KeaHaStatus {
  mode?: string;
  localRole?: string;
  localState?: string;
  /** HA scopes this server serves now (not subnets). */
  localScopes?: string[];
  remoteRole?: string;
  remoteState?: string;
  inTouch?: boolean;
  communicationInterrupted?: boolean;
  /** 2.6+: the names status-get gives both servers of this relationship. */
  localServerName?: string;
  remoteServerName?: string;
  /** 3.0+: Kea's own measure of the partner's clock against this server's, in seconds (partner ahead: positive). */
  remoteClockSkewSeconds?: number;
}

export interface KeaAgent {
  /** kea-ctrl-agent (2.x), or kea-dhcp4's own HTTP control socket (3.0+; the only one from 3.2). */
  kind?: 'control-agent' | 'dhcp4-http';
  /** The URL we talked to, userinfo removed. */
  url: string;
  /** Host and port taken from that URL. */
  host: string;
  port: number;
  tls: boolean;
  /** Where it listens, from its own configuration (the agent's http-host, or dhcp4's control-sockets). */
  httpHost?: string;
  httpPort?: number;
  /** Hook libraries loaded into the agent (e.g. a role-based access control hook). */
  hooks?: string[];
}

/**
 * One reading of the server's clock against ours: the server clock is ahead of this machine by
 * offsetMs, give or take errorMs (half the round trip plus the 1 s resolution of the source).
 */
export interface KeaClockSample {
  source: 'http-date' | 'ha-heartbeat';
  offsetMs: number;
  errorMs: number;
  delayMs: number;
  /** The timestamp as the agent wrote it. */
  text: string;
}

/** Kea extras for one subnet of ServerFacts.scopes, matched by subnetId. */
export interface KeaSubnet {
  id: number;
  subnet: string;
  /** Pools as Kea writes them: "10.99.0.100 - 10.99.0.200" or "10.99.0.0/25". */
  pools: string[];
  sharedNetwork?: string;
  /** Hub-and-spoke (2.6+): the relationship this subnet belongs to (user-context ha-server-name). */
  haServerName?: string;
}

/** A TLS handshake and one status-get from this machine to a peer's HA listener (see ha-listener.ts). */
export interface KeaHaListenerProbe {
  /** this-server-name of the relationship whose TLS files were used. */
  relationship: string;
  peer: string;
  url: string;
  outcome: 'answered' | 'tls-failed' | 'refused' | 'unreachable';
  detail: string;
}

export interface KeaFacts {
  /** Live, TLS configured: what each peer's HA listener did with this server's TLS files. */
  haListenerProbes?: KeaHaListenerProbe[];
  /** HA hook loaded and a relationship with peers configured: a configured pair; false: before setup. */
  haConfigured?: boolean;
  /** kea-dhcp4's own HTTP(S) control sockets (3.0+ `control-sockets`), where they listen. */
  controlSockets?: { address: string; port: number }[];
  /** hooks-libraries of the dhcp4 daemon, full paths as configured. */
  hooks?: string[];
  haHookLoaded?: boolean;
  leaseCmdsHookLoaded?: boolean;
  haRelationships?: KeaHaRelationship[];
  /** From status-get, one per relationship, same order as haRelationships. */
  haStatus?: KeaHaStatus[];
  /** The live control channel we talked to; absent for a configuration file. */
  agent?: KeaAgent;
  /** Best http-date reading (smallest error) and, on a configured pair, the ha-heartbeat one. */
  clock: KeaClockSample[];
  subnets?: KeaSubnet[];
  /** HTTP status when the agent refused our credentials (401/403); absent when it accepted them. */
  authStatus?: number;
  /** Commands the server answered with result 2 (unsupported). */
  unsupported?: string[];
}
