import type { ScopeFact } from '../../facts.js';
import { findCollisions, scopeText } from '../../net/scope.js';

// The rule of the platforms that replicate no configuration (Kea HA, dhcpd failover): each shared
// scope exists on the partner as the same prefix; `same` says what else must be equal.

export interface SameScopeResult {
  problems: string[];
  missing: string[];
}

export function compareSameScopes(
  shared: readonly ScopeFact[],
  partner: readonly ScopeFact[],
  same: (mine: ScopeFact, theirs: ScopeFact) => string[],
  label: (s: ScopeFact) => string = scopeText,
): SameScopeResult {
  const collisions = new Map(findCollisions(shared, partner).map((c) => [c.scope, c]));
  const problems: string[] = [];
  const missing: string[] = [];
  for (const s of shared) {
    const c = collisions.get(s);
    if (c?.same) problems.push(...same(s, c.same));
    for (const o of c?.overlapping ?? []) problems.push(`${label(s)} overlaps partner subnet ${label(o)}`);
    if (!c?.same && !c?.overlapping.length) missing.push(`${label(s)} is missing on the partner`);
  }
  return { problems, missing };
}
