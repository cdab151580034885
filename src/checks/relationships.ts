import type { Role } from '../context.js';
import { factsOf, type FactsRead } from './facts-of.js';
import { messages } from './messages.js';
import { fail, pass, unknown, type Check } from './types.js';

const WINDOWS_MAX = 31;

export const relationships: Check = {
  id: 'relationships',
  title: 'Neither server already has the maximum number of failover relationships',
  async run(ctx) {
    const reads: Record<Role, FactsRead> = { local: await factsOf(ctx, 'local'), partner: await factsOf(ctx, 'partner') };
    const full: Role[] = [];
    const details: Record<string, unknown> = {};
    let missing = false;
    for (const role of ['local', 'partner'] as const) {
      const facts = reads[role].facts;
      if (!facts?.relationships) {
        details[role] = reads[role].error ?? `${facts!.source} does not list failover relationships`;
        missing = true;
        continue;
      }
      const max = facts.maxRelationships ?? WINDOWS_MAX;
      details[role] = { count: facts.relationships.length, maximum: max, names: facts.relationships.map((r) => r.name) };
      if (facts.relationships.length >= max) full.push(role);
    }
    if (full.length > 0) {
      const text = full.map((role) => messages.relationships(role, reads[role].facts!.maxRelationships ?? WINDOWS_MAX)).join('\n');
      return fail(text, { details, fix: 'Remove an unused relationship, or add the scopes to an existing relationship with the same partner.' });
    }
    if (missing) return unknown('the number of relationships is not known for both servers', { details });
    return pass('both servers have room for another failover relationship', { details });
  },
};
