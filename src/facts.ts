import type { KeaFacts } from './sources/kea/types.js';
import type { DhcpdFacts } from './sources/dhcpd/facts.js';

// What one source knows about one DHCP server. `undefined` always means "this source cannot
// tell" — a check turns that into `unknown`, never into a guess.

import type { Platform } from './platforms/ids.js';

export type { Platform };

export interface ServerVersion {
  /** Product whose version this is: "Windows DHCP Server", "Kea", ... */
  product: string;
  major: number;
  minor: number;
  build?: number;
  /** As the source wrote it, for details. */
  text: string;
  /** The source knows only that it is at least this version (not the exact one). */
  lowerBound?: boolean;
}

export type ServiceState = 'running' | 'paused' | 'stopped' | 'other';

export interface ServiceStatus {
  state: ServiceState;
  /** The raw status as the source wrote it ("Running", 4, "StopPending", ...). */
  raw: string;
}

export interface Relationship {
  name: string;
  /** The partner as this server names it (address, DNS name or URL). */
  partner?: string;
  mode?: string;
  /** Scope ids (dotted network addresses) already in this relationship. */
  scopeIds: string[];
}

export interface ScopeFact {
  /** Network address as a 32-bit unsigned integer. */
  network: number;
  prefix: number;
  /** Address range handed out (Windows StartRange..EndRange); defaults to the subnet. */
  rangeStart?: number;
  rangeEnd?: number;
  name?: string;
  state?: string;
  /** Addresses of the range the server does not hand out (Windows exclusion ranges). */
  exclusions?: ExclusionRange[];
  /** Windows scope type: "Dhcp", "Bootp" or "Both" (BOOTP clients). */
  type?: string;
  /** Kea subnet id (Kea requires the same id on both HA peers). */
  subnetId?: number;
}

/** How an interface address was configured (Windows PrefixOrigin, normalised). */
export type AddressOrigin = 'manual' | 'dhcp' | 'well-known' | 'router-advertisement' | 'other';

export interface InterfaceAddress {
  /** Dotted IPv4. */
  address: string;
  /** "Ethernet", "vEthernet (LAN)", ... */
  interface?: string;
  prefix?: number;
  origin: AddressOrigin;
  /** As the source wrote it ("Dhcp", 3), for details. */
  raw: string;
}

/** An exclusion range of a scope (Windows Get-DhcpServerv4ExclusionRange). */
export interface ExclusionRange {
  start: number;
  end: number;
}

export interface Identity {
  user?: string;
  /** The user's SID, when the source gives it (the Windows collector does). */
  sid?: string;
  isDhcpAdministrator?: boolean;
}

/** A member of a local group (Get-LocalGroupMember). */
export interface GroupMember {
  /** "CORP\\alice", "DHCP1\\admin". */
  name: string;
  sid?: string;
  /** "User" or "Group". */
  objectClass?: string;
  /** "Local", "ActiveDirectory", "AzureAD", "MicrosoftAccount", "Unknown". */
  principalSource?: string;
}

export interface LocalGroup {
  name: string;
  members: GroupMember[];
}

/** A DHCP user or vendor class (Get-DhcpServerv4Class). */
export interface DhcpClass {
  name: string;
  /** "User" or "Vendor". */
  type: string;
  /** The class data as the cmdlet writes it (hex). */
  data?: string;
}

/** An option definition (Get-DhcpServerv4OptionDefinition -All). */
export interface OptionDefinition {
  optionId: number;
  /** Empty for the standard options. */
  vendorClass: string;
  name?: string;
  type?: string;
  multiValued?: boolean;
}

/** An option value set on a scope (Get-DhcpServerv4OptionValue -ScopeId -All). */
export interface ScopeOptionValue {
  scopeId: string;
  optionId: number;
  vendorClass?: string;
  userClass?: string;
  policyName?: string;
}

/** A scope's policy (Get-DhcpServerv4Policy -ScopeId) and the classes its conditions name. */
export interface ScopePolicy {
  scopeId: string;
  name: string;
  vendorClasses: string[];
  userClasses: string[];
}

/** Facts only a Windows DHCP server has; each undefined when the bundle lacks its key. */
export interface WindowsFacts {
  classes?: DhcpClass[];
  optionDefinitions?: OptionDefinition[];
  optionValues?: ScopeOptionValue[];
  policies?: ScopePolicy[];
  /** Get-DhcpServerv4DnsSetting DynamicUpdates: "Always", "OnClientRequest", "Never". */
  dnsDynamicUpdates?: string;
  /** Get-DhcpServerDnsCredential: user and domain (never a secret); null: none is set. */
  dnsCredential?: { user: string; domain?: string } | null;
  bindings?: { interfaceAlias?: string; address?: string; bound: boolean }[];
  /** Get-DhcpServerSetting ConflictDetectionAttempts. */
  conflictDetectionAttempts?: number;
}

export interface ServerFacts {
  /** Where these facts came from, e.g. "windows-json:examples/partner.json". */
  source: string;
  platform: Platform;
  name?: string;
  /** The server's own IPv4 addresses, when the source lists them. */
  addresses?: string[];
  version?: ServerVersion;
  service?: ServiceStatus;
  relationships?: Relationship[];
  /** Most failover relationships this server allows, when the source states it (else its platform's rule). */
  maxRelationships?: number;
  scopes?: ScopeFact[];
  /** The server's own configured permissible clock difference in seconds (Windows DhcpMsgSyncDeltaTime). */
  maxClockSkewSeconds?: number;
  identity?: Identity;
  /**
   * The groups whose members may administer this server's DHCP, with their members (Windows: the
   * local "DHCP Administrators" and "Administrators"); undefined when the source does not list them.
   */
  adminGroups?: LocalGroup[];
  /** Authorized in Active Directory (Get-DhcpServerSetting IsAuthorized). */
  authorized?: boolean;
  /** Member of a domain (Get-DhcpServerSetting IsDomainJoined): workgroup servers cannot be authorized. */
  domainJoined?: boolean;
  /** Whether the server's address is static (DHCP-assigned server addresses break failover). */
  staticAddress?: boolean;
  /** The server's IPv4 interface addresses and how each was configured (Get-NetIPAddress). */
  interfaceAddresses?: InterfaceAddress[];
  /**
   * false: the server is known from configuration only and is not running yet (a kea-config: file,
   * a dhcpd.conf whose OMAPI does not answer, an inventory saying `phase: before-deploy`): judged
   * before deploy. undefined: the source describes a running server, or cannot tell.
   */
  running?: boolean;
  /** Things the source noticed that belong in details (never secrets). */
  notes?: string[];
  /**
   * What the server, asked, refused to tell (an agent's "not allowed" to a command), in its own
   * words; each line is also a note. A check that lacks a fact names these as the cause, never
   * advice to give a source: one was given, and it refused.
   */
  refused?: string[];
  /** Kea-only facts (HA hook, peers, agent binding). */
  kea?: KeaFacts;
  /** Windows-only facts (the collector's groups, classes, options, policies, DNS settings). */
  windows?: WindowsFacts;
  /** ISC dhcpd-only facts (failover peers, pools, OMAPI state, dhcpd -t). */
  dhcpd?: DhcpdFacts;
}
