import type { ServerFacts } from '../../facts.js';
import type { DhcpdFailoverPeer } from '../../sources/dhcpd/types.js';
import type { Pair } from '../types.js';

// Which `failover peer` declaration on each side pairs these two servers. dhcpd itself matches
// an incoming partner by the peer name in its CONNECT message, so the same name on both sides is
// the first rule; addresses (`peer address` naming the other server) the fallback.

export const DEFAULT_PORT = 647;

export interface PeerMatch {
  local?: DhcpdFailoverPeer;
  partner?: DhcpdFailoverPeer;
  by?: 'name' | 'address' | 'only one';
}

export const peersOf = (f: ServerFacts | undefined): DhcpdFailoverPeer[] => f?.dhcpd?.peers ?? [];

/** Every IPv4 address a dhcpd host name or address stands for (the name itself when unresolved). */
export function addressesOf(f: ServerFacts | undefined, value: string | undefined): string[] {
  if (value === undefined) return [];
  const resolved = f?.dhcpd?.resolved[value];
  return resolved && resolved.length > 0 ? resolved : [value.toLowerCase()];
}

/** The names and addresses a server is known by. */
export function namesOf(f: ServerFacts | undefined, extra: (string | undefined)[] = []): Set<string> {
  const out = new Set<string>();
  for (const n of [f?.name, ...(f?.addresses ?? []), ...extra]) if (n) out.add(n.toLowerCase());
  for (const p of peersOf(f)) for (const a of addressesOf(f, p.address?.value)) out.add(a);
  return out;
}

const names = (self: ServerFacts | undefined, peer: DhcpdFailoverPeer, other: Set<string>) =>
  addressesOf(self, peer.peerAddress?.value).some((a) => other.has(a));

export function matchPeers(pair: Pair): PeerMatch {
  const mine = peersOf(pair.local);
  const theirs = peersOf(pair.partner);
  for (const l of mine) {
    const p = theirs.find((x) => x.name === l.name);
    if (p) return { local: l, partner: p, by: 'name' };
  }
  const partnerNames = namesOf(pair.partner, [pair.partnerAddress]);
  const localNames = namesOf(pair.local);
  const l = mine.find((x) => names(pair.local, x, partnerNames));
  const p = theirs.find((x) => names(pair.partner, x, localNames));
  if (l || p) return { ...(l ? { local: l } : {}), ...(p ? { partner: p } : {}), by: 'address' };
  if (mine.length === 1 && theirs.length === 1) return { local: mine[0]!, partner: theirs[0]!, by: 'only one' };
  return {};
}
