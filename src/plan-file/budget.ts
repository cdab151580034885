import type { Relationship, ServerFacts } from '../facts.js';
/** A pairing as the budget needs it: its two servers' names. */
type PlanPairing = { local: string; partner: string };

// The batch's budget, in file order: pairing i sees the relationships its servers already have
// plus those the plan's earlier pairings will create on them. They are handed to the checks as
// facts (relationships like any other), so the relationship limit and "a scope belongs to one
// relationship" are judged by each platform's own rule, with no plan logic in the checks.

export const PLANNED_PREFIX = 'planned:';

/** The name a planned relationship carries in details and messages. */
export const plannedName = (p: PlanPairing): string => `${PLANNED_PREFIX} ${p.local}-${p.partner}`;

/**
 * The relationships the pairings before `index` create on `server`. `scopeIds[j]` holds the
 * dotted scope ids pairing j shares (what it names, or every scope of its local server).
 */
export function plannedRelationships(
  pairings: readonly PlanPairing[],
  index: number,
  server: string,
  addressOf: (server: string) => string,
  scopeIds: readonly (readonly string[])[],
): Relationship[] {
  const out: Relationship[] = [];
  for (let j = 0; j < index && j < pairings.length; j++) {
    const p = pairings[j]!;
    if (p.local !== server && p.partner !== server) continue;
    const other = p.local === server ? p.partner : p.local;
    out.push({ name: plannedName(p), partner: addressOf(other), scopeIds: [...(scopeIds[j] ?? [])] });
  }
  return out;
}

/** The server's facts with the planned relationships added; never mutates the shared facts. */
export function withPlanned(facts: ServerFacts | undefined, planned: readonly Relationship[]): ServerFacts | undefined {
  // A source that lists no relationships cannot be counted; adding some would invent a count.
  if (!facts?.relationships || planned.length === 0) return facts;
  return { ...facts, relationships: [...facts.relationships, ...planned] };
}
