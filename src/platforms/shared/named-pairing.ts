import type { Relationship, ServerFacts } from '../../facts.js';
import type { ExistingPairing, Pair } from '../types.js';

// For platforms whose relationship names its partner by address or host name (dhcpd's `peer
// address`, an inventory's `partner`): the relationship on each side that names the other.

function namesOf(facts: ServerFacts, extra: (string | undefined)[] = []): Set<string> {
  return new Set([facts.name, ...(facts.addresses ?? []), ...extra].filter((n): n is string => n !== undefined).map((n) => n.toLowerCase()));
}

const naming = (self: ServerFacts | undefined, names: Set<string>): Relationship | undefined =>
  self?.relationships?.find((r) => r.partner !== undefined && names.has(r.partner.toLowerCase()));

export function namedPairing(pair: Pair): ExistingPairing | undefined {
  const { local, partner } = pair;
  if (!local || !partner) return undefined;
  const mine = naming(local, namesOf(partner, [pair.partnerAddress]));
  const theirs = naming(partner, namesOf(local));
  if (!mine && !theirs) return undefined;
  return { local: mine?.name ?? '', partner: theirs?.name ?? '', ...((mine ?? theirs)?.mode ? { mode: (mine ?? theirs)!.mode! } : {}) };
}
