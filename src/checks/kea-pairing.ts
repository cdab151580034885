import type { ServerFacts } from '../facts.js';
import type { KeaHaRelationship } from '../sources/kea/types.js';

// How two Kea servers relate to each other, read from each one's HA hook configuration.

export type Situation = 'before setup' | 'configured pair';

export function situation(local: ServerFacts | undefined, partner: ServerFacts | undefined): Situation {
  return local?.kea?.haConfigured || partner?.kea?.haConfigured ? 'configured pair' : 'before setup';
}

/** Every address or host name by which a server's agent can be named in a peer URL. */
export function agentNames(facts: ServerFacts, extra: (string | undefined)[] = []): Set<string> {
  const names = new Set<string>();
  const agent = facts.kea?.agent;
  for (const n of [agent?.host, agent?.httpHost, facts.name, ...(facts.addresses ?? []), ...extra]) {
    if (n) names.add(n.toLowerCase());
  }
  return names;
}

function peerHost(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}

/** The relationship of `self` whose peers include `other` (by host and agent port), if any. */
export function relationshipWith(self: ServerFacts, other: ServerFacts, otherAddress?: string): KeaHaRelationship | undefined {
  const names = agentNames(other, [otherAddress]);
  const port = other.kea?.agent.port;
  return self.kea?.haRelationships?.find((rel) =>
    rel.peers.some((peer) => {
      if (peer.name === rel.thisServerName) return false;
      const h = peerHost(peer.url);
      return h !== undefined && names.has(h.host) && (port === undefined || h.port === port);
    }),
  );
}
