import type { ScopeFact } from '../facts.js';
import { formatIPv4, prefixToMask } from '../net/ipv4.js';
import { findCollisions, scopeText } from '../net/scope.js';
import type { ScopeRequest } from '../plan.js';
import { factsOf, sourceNotes } from './facts-of.js';
import { situation } from './kea-pairing.js';
import { keaScopes } from './scopes-kea.js';
import { messages } from './messages.js';
import { fail, pass, unknown, type Check, type Outcome } from './types.js';

const LISTED = 20;

function describeScope(s: ScopeFact): string {
  const range =
    s.rangeStart !== undefined && s.rangeEnd !== undefined ? `, range ${formatIPv4(s.rangeStart)}-${formatIPv4(s.rangeEnd)}` : '';
  return `${formatIPv4(s.network)} mask ${formatIPv4(prefixToMask(s.prefix))}${range}${s.name ? ` "${s.name}"` : ''}`;
}

/** The scopes to share: those asked for (each must exist locally), or every local scope. */
function sharedScopes(requested: ScopeRequest[] | undefined, local: ScopeFact[] | undefined, partner: ScopeFact[] | undefined) {
  if (!requested) return { shared: local ?? [], missing: [] as string[], unsized: [] as string[] };
  if (!local) {
    // Without local facts a request is still comparable with the partner's scopes; one without a
    // prefix only by its scope id (its size is unknown).
    const partnerByNetwork = new Map((partner ?? []).map((s) => [s.network, s]));
    const shared: ScopeFact[] = [];
    const unsized: string[] = [];
    for (const r of requested) {
      if (r.prefix !== undefined) shared.push({ network: r.network, prefix: r.prefix });
      else if (partnerByNetwork.has(r.network)) shared.push({ network: r.network, prefix: partnerByNetwork.get(r.network)!.prefix });
      else unsized.push(r.text);
    }
    return { shared, missing: [], unsized };
  }
  const byNetwork = new Map(local.map((s) => [s.network, s]));
  const shared: ScopeFact[] = [];
  const missing: string[] = [];
  for (const r of requested) {
    const found = byNetwork.get(r.network);
    if (found && (r.prefix === undefined || r.prefix === found.prefix)) shared.push(found);
    else missing.push(r.text);
  }
  return { shared, missing, unsized: [] as string[] };
}

export const scopes: Check = {
  id: 'scopes',
  title: 'The scopes to be shared do not already exist on the partner',
  async run(ctx): Promise<Outcome> {
    const [local, partner] = await Promise.all([factsOf(ctx, 'local'), factsOf(ctx, 'partner')]);
    const requested = ctx.plan.scopes;
    if (!requested && !local.facts?.scopes) {
      return unknown('the scopes to share are not known', { details: { cause: local.error ?? 'the local source lists no scopes', ...sourceNotes(local) }, fix: 'Give --scope or --local-source.' });
    }
    const { shared, missing, unsized } = sharedScopes(requested, local.facts?.scopes, partner.facts?.scopes);
    const problems: string[] = missing.map((m) => `Scope ${m} does not exist on the local server.`);
    if (local.facts?.scopes && local.facts.scopes.length === 0) problems.push('The local server has no IPv4 scope; failover needs at least one.');

    // Windows: a scope belongs to at most one relationship. Kea HA spans the server's subnets and
    // is judged by the relationships and peers checks instead.
    const inRelationship = new Map<string, string>();
    const kea = local.facts?.platform === 'kea';
    for (const rel of kea ? [] : (local.facts?.relationships ?? [])) for (const id of rel.scopeIds) inRelationship.set(id, rel.name);
    for (const s of shared) {
      const rel = inRelationship.get(formatIPv4(s.network));
      if (rel) problems.push(`Scope ${formatIPv4(s.network)} is already in failover relationship "${rel}" on the local server.`);
    }

    if (!partner.facts?.scopes) {
      if (problems.length > 0) return fail(problems.join('\n'), { details: { problems } });
      return unknown('the partner\'s scopes are not known', { details: { cause: partner.error ?? `${partner.facts!.source} lists no scopes`, ...sourceNotes(partner) } });
    }

    if (local.facts?.platform === 'kea' && partner.facts.platform === 'kea') {
      const outcome = keaScopes(shared, partner.facts.scopes, situation(local.facts, partner.facts));
      if (problems.length === 0) return outcome;
      return fail([outcome.status === 'fail' ? outcome.message : null, ...problems].filter(Boolean).join('\n'), { details: { ...outcome.details, problems } });
    }

    const collisions = findCollisions(shared, partner.facts.scopes).map((c) => ({
      scope: describeScope(c.scope),
      collidesWith: [...(c.same ? [describeScope(c.same)] : []), ...c.overlapping.map(describeScope)],
      kind: c.same ? 'exists' : 'overlaps',
    }));
    const details = {
      shared: shared.length,
      partnerScopes: partner.facts.scopes.length,
      collisions,
      ...(problems.length > 0 ? { problems } : {}),
    };
    if (collisions.length > 0) {
      const lines = collisions
        .slice(0, LISTED)
        .map((c) =>
          c.kind === 'exists'
            ? `  ${c.scope}: exists on the partner${c.collidesWith.length > 1 ? `; also overlaps partner scope ${c.collidesWith.slice(1).join('; ')}` : ''}`
            : `  ${c.scope}: overlaps partner scope ${c.collidesWith.join('; ')}`,
        );
      if (collisions.length > LISTED) lines.push(`  … and ${collisions.length - LISTED} more (see details)`);
      return fail([messages.scopes(), ...lines, ...problems].join('\n'), {
        details,
        fix: 'Delete these scopes on the partner (Remove-DhcpServerv4Scope), or leave them out with --scope.',
      });
    }
    if (problems.length > 0) return fail(problems.join('\n'), { details });
    if (unsized.length > 0) {
      return unknown(`the size of ${unsized.join(', ')} is not known without a local source: give it with a prefix (e.g. /24)`, { details });
    }
    const span = shared.length === 1 ? scopeText(shared[0]!) : `${shared.length} scopes`;
    return pass(`${span} to share; none exists on or overlaps a scope of the partner`, { details });
  },
};

