import type { Role } from '../context.js';
import type { ServerFacts } from '../facts.js';
import { factsOf, type FactsRead } from './facts-of.js';
import { relationshipWith } from './kea-pairing.js';
import { messages } from './messages.js';
import { WINDOWS_MAX_RELATIONSHIPS } from '../sources/windows-common.js';
import { fail, pass, unknown, type Check } from './types.js';

/** The most relationships this server may have, and why — the platform decides. */
function limitOf(facts: ServerFacts): { max?: number; why: string } {
  if (facts.platform === 'kea') {
    if (facts.maxRelationships !== undefined) return { max: facts.maxRelationships, why: `Kea${facts.version ? ` ${facts.version.text}` : ''} supports exactly one HA relationship per server (hub-and-spoke needs 2.6+)` };
    const rels = facts.relationships ?? [];
    if (facts.kea?.hubAndSpoke && rels.some((r) => r.mode !== 'hot-standby')) {
      return { max: 1, why: 'Kea 2.6+ allows several relationships per server only in hot-standby mode (hub-and-spoke)' };
    }
    return { why: 'Kea 2.6+ hub-and-spoke (hot-standby) documents no maximum' };
  }
  const max = facts.maxRelationships ?? (facts.platform === 'windows' ? WINDOWS_MAX_RELATIONSHIPS : undefined);
  if (max === undefined) return { why: `no maximum is known for a ${facts.platform} server` };
  return { max, why: `a ${facts.platform === 'windows' ? 'Windows' : facts.platform} server can have at most ${max}` };
}

export const relationships: Check = {
  id: 'relationships',
  title: 'Neither server already has the maximum number of failover relationships',
  async run(ctx) {
    const [local, partner, address] = await Promise.all([factsOf(ctx, 'local'), factsOf(ctx, 'partner'), ctx.partner()]);
    const reads: Record<Role, FactsRead> = { local, partner };
    if (local.facts?.platform === 'kea' && partner.facts?.platform === 'kea') {
      const mine = relationshipWith(local.facts, partner.facts, address.address);
      const theirs = relationshipWith(partner.facts, local.facts);
      if (mine && theirs) {
        return pass('these two servers are already HA partners of each other: re-validating, not adding a relationship', {
          details: { situation: 'configured pair', local: mine.thisServerName, partner: theirs.thisServerName, mode: mine.mode },
        });
      }
    }
    const full: { role: Role; max: number }[] = [];
    const details: Record<string, unknown> = {};
    let missing = false;
    for (const role of ['local', 'partner'] as const) {
      const facts = reads[role].facts;
      if (!facts?.relationships) {
        details[role] = reads[role].error ?? `${facts!.source} does not list failover relationships`;
        missing = true;
        continue;
      }
      const limit = limitOf(facts);
      details[role] = { count: facts.relationships.length, maximum: limit.max ?? null, why: limit.why, names: facts.relationships.map((r) => r.name) };
      if (limit.max !== undefined && facts.relationships.length >= limit.max) full.push({ role, max: limit.max });
    }
    if (full.length > 0) {
      const text = full.map(({ role, max }) => messages.relationships(role, max)).join('\n');
      return fail(text, { details, fix: 'Remove an unused relationship, or add the scopes to an existing relationship with the same partner.' });
    }
    if (missing) return unknown('the number of relationships is not known for both servers', { details });
    return pass('both servers have room for another failover relationship', { details });
  },
};
