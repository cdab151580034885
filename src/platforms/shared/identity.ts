import type { ServerFacts } from '../../facts.js';
import { ownPeer, relationshipsOf, urlHostPort } from '../kea/pairing.js';

// What a server's own facts say about which server it is: the names it calls itself and the
// addresses it says are its own. The identity check compares them across the pair.

/** ComputerName (Windows), a Kea relationship's this-server-name: lower case. */
export function ownNames(facts: ServerFacts): { name: string; from: string }[] {
  const out: { name: string; from: string }[] = [];
  if (facts.name) out.push({ name: facts.name.toLowerCase(), from: 'server name' });
  for (const rel of relationshipsOf(facts)) out.push({ name: rel.thisServerName.toLowerCase(), from: 'this-server-name' });
  return out;
}

/**
 * The addresses a server's facts give as its own: its interface addresses (NetIPAddress), the
 * host of its own peer URL in its Kea HA configuration, the `address` of its dhcpd failover peers
 * (resolved where it is a name). Lower case; empty when the source holds none.
 */
export function ownAddresses(facts: ServerFacts): { address: string; from: string }[] {
  const out: { address: string; from: string }[] = [];
  for (const a of facts.addresses ?? []) out.push({ address: a.toLowerCase(), from: 'its interface addresses' });
  for (const a of facts.interfaceAddresses ?? []) out.push({ address: a.address.toLowerCase(), from: 'its interface addresses' });
  for (const rel of relationshipsOf(facts)) {
    const own = ownPeer(rel);
    const host = own ? urlHostPort(own.url)?.host : undefined;
    if (host) out.push({ address: host, from: `its own peer URL ${own!.url} (this-server-name "${rel.thisServerName}")` });
  }
  for (const peer of facts.dhcpd?.peers ?? []) {
    const a = peer.address?.value;
    if (!a) continue;
    const from = `the address of its failover peer "${peer.name}"`;
    out.push({ address: a.toLowerCase(), from });
    for (const r of facts.dhcpd?.resolved[a] ?? []) out.push({ address: r.toLowerCase(), from });
  }
  return out;
}
