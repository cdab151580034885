import type { ServerFacts } from '../../facts.js';
import type { KeaHaRelationship, KeaPeer } from '../../sources/kea/types.js';

// How two Kea servers relate, read from each one's HA hook configuration. Peers are matched by
// name: a relationship pairs with the partner when it lists the partner's this-server-name (and
// the partner's lists ours). URLs are compared separately, because with multi-threading (the
// default since 2.4) the HA hook listens on its own port, not on the Control Agent's.

export type Situation = 'before setup' | 'configured pair';

export function situation(local: ServerFacts | undefined, partner: ServerFacts | undefined): Situation {
  return local?.kea?.haConfigured || partner?.kea?.haConfigured ? 'configured pair' : 'before setup';
}

export const relationshipsOf = (facts: ServerFacts | undefined): KeaHaRelationship[] => facts?.kea?.haRelationships ?? [];

export const ownPeer = (rel: KeaHaRelationship): KeaPeer | undefined => rel.peers.find((p) => p.name === rel.thisServerName);

const otherPeers = (rel: KeaHaRelationship): KeaPeer[] => rel.peers.filter((p) => p.name !== rel.thisServerName);

export interface Match {
  /** The local relationship naming the partner, and the partner's naming us (either may be absent). */
  local?: KeaHaRelationship;
  partner?: KeaHaRelationship;
  /** How they were matched: by this-server-name on both sides, or (one side only) by address. */
  by: 'name' | 'address';
}

/** Host (brackets removed, lower case) and port of a peer URL. */
export function urlHostPort(url: string): { host: string; port: number; tls: boolean } | undefined {
  try {
    const u = new URL(url);
    const tls = u.protocol === 'https:';
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(), port: u.port ? Number(u.port) : tls ? 443 : 80, tls };
  } catch {
    return undefined;
  }
}

/** Every address or host name by which a server can be named in a peer URL. */
function namesOf(facts: ServerFacts, extra: (string | undefined)[]): Set<string> {
  const names = new Set<string>();
  const agent = facts.kea?.agent;
  for (const n of [agent?.host, agent?.httpHost, facts.name, ...(facts.addresses ?? []), ...extra]) if (n) names.add(n.toLowerCase());
  for (const rel of relationshipsOf(facts)) {
    const own = ownPeer(rel);
    const h = own && urlHostPort(own.url);
    if (h) names.add(h.host);
  }
  return names;
}

/** The relationship of `self` with a peer at one of `other`'s addresses (for a side without HA). */
function byAddress(self: ServerFacts, other: ServerFacts, otherAddress?: string): KeaHaRelationship | undefined {
  const names = namesOf(other, [otherAddress]);
  return relationshipsOf(self).find((rel) => otherPeers(rel).some((p) => names.has(urlHostPort(p.url)?.host ?? '')));
}

/** The relationship on each side that pairs these two servers, if any. */
export function matchPair(local: ServerFacts | undefined, partner: ServerFacts | undefined, partnerAddress?: string): Match {
  const mine = relationshipsOf(local);
  const theirs = relationshipsOf(partner);
  for (const l of mine) {
    for (const p of theirs) {
      const lNames = new Set(otherPeers(l).map((x) => x.name));
      const pNames = new Set(otherPeers(p).map((x) => x.name));
      if (lNames.has(p.thisServerName) && pNames.has(l.thisServerName)) return { local: l, partner: p, by: 'name' };
    }
  }
  // Only one side has HA (half a pair) or names do not meet: fall back to addresses.
  const match: Match = { by: 'address' };
  if (local && partner) {
    const l = byAddress(local, partner, partnerAddress);
    const p = byAddress(partner, local);
    if (l && (theirs.length === 0 || !p)) match.local = l;
    if (p && (mine.length === 0 || !l)) match.partner = p;
    if (l && p) {
      match.local = l;
      match.partner = p;
    }
  }
  return match;
}

/** The peer of `self`'s relationships (other than itself) whose URL names `address`. */
export function peerAt(self: ServerFacts | undefined, address: string): KeaPeer | undefined {
  const a = address.toLowerCase();
  for (const rel of relationshipsOf(self)) {
    const found = otherPeers(rel).find((p) => urlHostPort(p.url)?.host === a);
    if (found) return found;
  }
  return undefined;
}

/** The peer entry in `rel` that stands for the other server of the pair. */
export function peerFor(rel: KeaHaRelationship, other: KeaHaRelationship | undefined): KeaPeer | undefined {
  if (other) return rel.peers.find((p) => p.name === other.thisServerName);
  return otherPeers(rel).find((p) => p.role !== 'backup');
}
