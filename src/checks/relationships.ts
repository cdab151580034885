import type { Role } from '../context.js';
import { platformOf } from '../platforms/index.js';
import { pairOf, unread, type Tellers } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';

const o = outcomes('relationships', {
  room: 'pass',
  'already-paired': 'pass',
  'maximum-reached': 'fail',
  'mode-conflict': 'fail',
  'not-known': 'unknown',
});

export const relationships: Check = {
  id: 'relationships',
  title: 'Neither server already has the maximum number of failover relationships',
  codes: o.codes,
  async run(ctx) {
    const read = await pairOf(ctx);
    const existing = read.platform.existingPairing?.(read.pair);
    if (existing?.local && existing.partner) {
      return o.pass('already-paired', 'these two servers are already failover partners of each other: re-validating, not adding a relationship', {
        details: { situation: 'configured pair', local: existing.local, partner: existing.partner, ...(existing.mode ? { mode: existing.mode } : {}) },
      });
    }
    const full: { role: Role; max: number }[] = [];
    const details: Record<string, unknown> = {};
    let missing = false;
    const unanswered: Tellers = {};
    for (const role of ['local', 'partner'] as const) {
      const { facts, error } = read[role];
      if (!facts?.relationships) {
        unanswered[role] = read[role];
        details[role] = (unread({ [role]: read[role] }).causes.join('; ') || error) ?? `${facts!.source} does not list failover relationships`;
        missing = true;
        continue;
      }
      const limit = platformOf(facts.platform).relationshipLimit(facts);
      // A relationship one side already has with the other is this pairing, not another one.
      const mine = existing?.[role] ? 1 : 0;
      const count = facts.relationships.length - mine;
      details[role] = { count, maximum: limit.max ?? null, why: limit.why, names: facts.relationships.map((r) => r.name) };
      if (limit.max !== undefined && count >= limit.max) full.push({ role, max: limit.max });
    }
    if (full.length > 0) {
      const text = full.map(({ role, max }) => messages.relationships(role, max)).join('\n');
      const evidence = full.map(
        ({ role }) =>
          `the ${role} server has ${(details[role] as { count: number }).count}: ${read[role]
            .facts!.relationships!.slice(0, 3)
            .map((r) => r.name)
            .join(', ')}${read[role].facts!.relationships!.length > 3 ? ', …' : ''}`,
      );
      return o.fail('maximum-reached', text, { details, evidence, fix: read.platform.fixes.relationships });
    }
    const conflicts = read.platform.relationshipConflicts?.(read.pair) ?? [];
    if (conflicts.length > 0) {
      return o.fail('mode-conflict', conflicts.join('\n'), { details: { ...details, conflicts }, fix: read.platform.fixes.relationships });
    }
    if (missing) {
      const fix = unread(unanswered).fix;
      return o.unknown('not-known', 'the number of relationships is not known for both servers', { details, ...(fix ? { fix } : {}) });
    }
    return o.pass('room', 'both servers have room for another failover relationship', { details });
  },
};
