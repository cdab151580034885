import type { ScopeFact, ServerFacts } from '../../facts.js';
import { scopeText } from '../../net/scope.js';
import type { KeaHaRelationship } from '../../sources/kea/types.js';
import { compareSameScopes } from '../shared/same-scopes.js';
import type { Pair, ScopeJudgement } from '../types.js';
import { matchPair, relationshipsOf, situation, type Situation } from './pairing.js';

// HA peers do not replicate configuration: both carry the SAME subnets with the SAME ids (lease
// updates carry the subnet id; a peer rejects an id it does not know). In hub-and-spoke (2.6+)
// a subnet belongs to one relationship, named by its user-context "ha-server-name".

const idText = (s: ScopeFact) => (s.subnetId === undefined ? 'no id' : `id ${s.subnetId}`);

/** The subnets that belong to `rel` on this server (all of them when it has one relationship). */
function subnetsOf(facts: ServerFacts, rel: KeaHaRelationship | undefined): ScopeFact[] {
  const scopes = facts.scopes ?? [];
  const rels = relationshipsOf(facts);
  if (rels.length <= 1 && rel) return scopes;
  const owner = new Map((facts.kea?.subnets ?? []).map((s) => [s.subnet, s.haServerName]));
  const namesOf = (r: KeaHaRelationship) => new Set(r.peers.map((p) => p.name));
  if (rel) {
    const names = namesOf(rel);
    return scopes.filter((s) => names.has(owner.get(scopeText(s)) ?? ''));
  }
  // Not yet in a relationship: the subnets no existing relationship claims.
  const claimed = new Set(rels.flatMap((r) => [...namesOf(r)]));
  if (rels.length === 1) return [];
  return scopes.filter((s) => !claimed.has(owner.get(scopeText(s)) ?? ''));
}

/** This pairing's subnets on one side; when they cannot be told apart, all of them (never none). */
function pairingSubnets(facts: ServerFacts, rel: KeaHaRelationship | undefined): ScopeFact[] {
  const all = facts.scopes ?? [];
  if (relationshipsOf(facts).length === 0) return all;
  const own = subnetsOf(facts, rel);
  return own.length > 0 ? own : all;
}

export function keaPairScopes(pair: Pair): { local?: ScopeFact[]; partner?: ScopeFact[] } {
  const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
  return {
    ...(pair.local?.scopes ? { local: pairingSubnets(pair.local, m.local) } : {}),
    ...(pair.partner?.scopes ? { partner: pairingSubnets(pair.partner, m.partner) } : {}),
  };
}

export function keaJudgeScopes(shared: ScopeFact[], partner: ScopeFact[], pair: Pair): ScopeJudgement {
  const byId = new Map(partner.filter((s) => s.subnetId !== undefined).map((s) => [s.subnetId!, s]));
  const { problems, missing } = compareSameScopes(
    shared,
    partner,
    (mine, theirs) => (mine.subnetId !== theirs.subnetId ? [`${scopeText(mine)}: ${idText(mine)} here, ${idText(theirs)} on the partner`] : []),
    (s) => `${scopeText(s)} (${idText(s)})`,
  );
  for (const s of shared) {
    const reused = s.subnetId === undefined ? undefined : byId.get(s.subnetId);
    if (reused && scopeText(reused) !== scopeText(s)) problems.push(`${scopeText(s)}: the partner uses ${idText(s)} for ${scopeText(reused)}`);
  }
  // The situation of this pair, not of each server: a hub adding a new spoke (or a server paired
  // elsewhere) is before setup for this relationship, so a subnet still to be added warns.
  const m = matchPair(pair.local, pair.partner, pair.partnerAddress);
  const sit: Situation = situation(pair.local, pair.partner) === 'configured pair' && (m.local || m.partner) ? 'configured pair' : 'before setup';
  // Kea 2.x numbers subnets without an id by their order, which differs between peers; 3.0 refuses them.
  const unnumbered = [...shared, ...partner].filter((s) => s.subnetId === undefined).map(scopeText);
  return {
    ...(unnumbered.length > 0
      ? {
          warnings: [
            `subnets without an "id": ${[...new Set(unnumbered)].join(', ')} (Kea 2.x numbers them by order, which differs between peers; 3.0 refuses them: "missing parameter 'id'")`,
          ],
        }
      : {}),
    rule: 'same-on-both',
    why: 'Kea HA peers must carry the same subnets with the same subnet ids.',
    problems,
    missing,
    missingFails: sit === 'configured pair',
    fix: 'Give both servers the same subnet4 entries with the same "id" values (Kea does not replicate configuration).',
    details: { situation: sit },
  };
}
