import type { ScopeFact } from '../facts.js';
import { findCollisions, scopeText } from '../net/scope.js';
import type { Situation } from './kea-pairing.js';
import { fail, pass, warn, type Outcome } from './types.js';

// Kea's rule is the opposite of Windows': HA peers do not replicate configuration, so both must
// carry the SAME subnets with the SAME ids (lease updates carry the subnet id, and a peer rejects
// an id it does not know).

export const KEA_SCOPES_MESSAGE =
  'Following subnets are not configured identically on the specified partner server. Kea HA peers must carry the same subnets with the same subnet ids.';

const id = (s: ScopeFact) => (s.subnetId === undefined ? 'no id' : `id ${s.subnetId}`);

export function keaScopes(shared: ScopeFact[], partner: ScopeFact[], sit: Situation): Outcome {
  const byId = new Map(partner.filter((s) => s.subnetId !== undefined).map((s) => [s.subnetId!, s]));
  const collisions = new Map(findCollisions(shared, partner).map((c) => [c.scope, c]));
  const problems: string[] = [];
  const missing: string[] = [];
  for (const s of shared) {
    const c = collisions.get(s);
    const text = scopeText(s);
    if (c?.same && c.same.subnetId !== s.subnetId) problems.push(`${text}: ${id(s)} here, ${id(c.same)} on the partner`);
    const reused = s.subnetId === undefined ? undefined : byId.get(s.subnetId);
    if (reused && scopeText(reused) !== text) problems.push(`${text}: the partner uses ${id(s)} for ${scopeText(reused)}`);
    for (const o of c?.overlapping ?? []) problems.push(`${text} overlaps partner subnet ${scopeText(o)} (${id(o)})`);
    if (!c?.same && !c?.overlapping.length) missing.push(`${text} (${id(s)}) is missing on the partner`);
  }
  const details = { situation: sit, shared: shared.length, partnerSubnets: partner.length, problems, missing };
  const fix = 'Give both servers the same subnet4 entries with the same "id" values (Kea does not replicate configuration).';
  if (problems.length > 0 || (missing.length > 0 && sit === 'configured pair')) {
    return fail([KEA_SCOPES_MESSAGE, ...[...problems, ...missing].map((l) => `  ${l}`)].join('\n'), { details, fix });
  }
  if (missing.length > 0) {
    return warn(`before setup: ${missing.length} subnet(s) must be added to the partner with the same id: ${missing.join('; ')}`, { details, fix });
  }
  return pass(`${shared.length} subnet(s) configured identically on both servers (same prefixes, same ids)`, { details });
}
