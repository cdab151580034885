import type { ScopeFact } from '../facts.js';
import { formatIPv4, prefixToMask } from '../net/ipv4.js';
import { scopeText, subnetBounds } from '../net/scope.js';
import type { ScopeRequest } from '../plan.js';
import type { ScopeJudgement } from '../platforms/types.js';
import { pairOf, sourceNotes, unread } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check, type Outcome } from './types.js';

const o = outcomes('scopes', {
  'none-on-partner': 'pass',
  'same-on-both': 'pass',
  'exists-on-partner': 'fail',
  'not-identical': 'fail',
  'missing-on-partner': 'warn',
  fragile: 'warn',
  'local-problem': 'fail',
  'size-unknown': 'unknown',
  'not-known': 'unknown',
});

const LISTED = 20;

/** "Following subnets ..." — our words, in the documented message's style, for same-on-both platforms. */
const NOT_IDENTICAL = 'Following subnets are not configured identically on the specified partner server.';

function describeScope(s: ScopeFact): string {
  const range = s.rangeStart !== undefined && s.rangeEnd !== undefined ? `, range ${formatIPv4(s.rangeStart)}-${formatIPv4(s.rangeEnd)}` : '';
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

const capped = (lines: string[]) => [...lines.slice(0, LISTED), ...(lines.length > LISTED ? [`  … and ${lines.length - LISTED} more (see details)`] : [])];

/** Words the platform's judgement: the documented message for the absent-on-partner rule, ours for the other. */
function word(j: ScopeJudgement, shared: ScopeFact[], partnerCount: number, problems: string[]): Outcome | undefined {
  if (j.rule === 'absent-on-partner') {
    const collisions = j.collisions.map((c) => ({
      scope: describeScope(c.scope),
      collidesWith: [...(c.same ? [describeScope(c.same)] : []), ...c.overlapping.map(describeScope)],
      kind: c.same ? 'exists' : 'overlaps',
      ...(c.kind ? { deployment: c.kind.what, wayOut: c.kind.wayOut } : {}),
    }));
    const details = { shared: shared.length, partnerScopes: partnerCount, collisions, ...(problems.length > 0 ? { problems } : {}) };
    if (collisions.length === 0) return problems.length > 0 ? o.fail('local-problem', problems.join('\n'), { details }) : undefined;
    const lines = collisions.map((c) =>
      c.kind === 'exists'
        ? `  ${c.scope}: exists on the partner${c.deployment ? `: ${c.deployment}; ${c.wayOut}` : ''}${c.collidesWith.length > 1 ? `; also overlaps partner scope ${c.collidesWith.slice(1).join('; ')}` : ''}`
        : `  ${c.scope}: overlaps partner scope ${c.collidesWith.join('; ')}`,
    );
    const evidence = [`${shared.length} scope(s) to share; the partner has ${partnerCount}; ${collisions.length} collide`];
    return o.fail('exists-on-partner', [messages.scopes(), ...capped(lines), ...problems].join('\n'), { details, evidence, fix: j.fix });
  }
  const details = { ...j.details, shared: shared.length, partnerSubnets: partnerCount, problems: [...j.problems, ...problems], missing: j.missing };
  const bad = [...j.problems, ...(j.missingFails ? j.missing : [])];
  if (bad.length > 0)
    return o.fail('not-identical', [`${NOT_IDENTICAL} ${j.why}`, ...capped(bad.map((l) => `  ${l}`)), ...problems].join('\n'), { details, fix: j.fix });
  if (problems.length > 0) return o.fail('local-problem', problems.join('\n'), { details });
  if (j.missing.length > 0) {
    return o.warn('missing-on-partner', `before setup: ${j.missing.length} subnet(s) must be added to the partner the same way: ${j.missing.join('; ')}`, {
      details,
      fix: j.fix,
    });
  }
  if (j.warnings?.length) return o.warn('fragile', j.warnings.join('; '), { details, fix: j.fix });
  const span = shared.length === 1 ? scopeText(shared[0]!) : `${shared.length} subnets`;
  return o.pass('same-on-both', `${span} configured identically on both servers`, { details });
}

/** A host address inside a local scope was meant as that scope, as `--scope 10.1.10.5/24` is told. */
function nearest(missing: string, requested: readonly ScopeRequest[] | undefined, localScopes: readonly ScopeFact[] | undefined): string {
  const request = requested?.find((r) => r.text === missing);
  if (!request || request.prefix !== undefined || !localScopes) return '';
  const within = localScopes.find((s) => {
    const [first, last] = subnetBounds(s);
    return request.network >= first && request.network <= last;
  });
  return within ? ` (did you mean ${formatIPv4(within.network)}, the scope ${scopeText(within)} holding that address?)` : '';
}

export const scopes: Check = {
  id: 'scopes',
  title: 'The scopes to be shared are ready on the partner',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    const { local, partner, platform } = read;
    const requested = ctx.plan.scopes;
    if (!requested && !local.facts?.scopes) {
      const why = unread({ local });
      return o.unknown('not-known', 'the scopes to share are not known', {
        details: { cause: (why.causes.join('; ') || local.error) ?? 'the local source lists no scopes', ...sourceNotes(local) },
        fix: why.fix ? `${why.fix} Or give --scope.` : 'Give --scope or --local-source.',
      });
    }
    const own = platform.pairScopes?.(read.pair) ?? {};
    const localScopes = own.local ?? local.facts?.scopes;
    const partnerScopes = own.partner ?? partner.facts?.scopes;
    const { shared, missing, unsized } = sharedScopes(requested, requested ? local.facts?.scopes : localScopes, partnerScopes);
    const problems: string[] = missing.map((m) => `Scope ${m} does not exist on the local server.${nearest(m, requested, local.facts?.scopes)}`);
    if (local.facts?.scopes && local.facts.scopes.length === 0) problems.push('The local server has no IPv4 scope; failover needs at least one.');
    if (local.facts && platform.scopeTaken) {
      for (const s of shared) {
        const rel = platform.scopeTaken(local.facts, s);
        if (rel) problems.push(`Scope ${formatIPv4(s.network)} is already in failover relationship "${rel.name}" on the local server.`);
      }
    }

    if (!partnerScopes) {
      if (problems.length > 0) return o.fail('local-problem', problems.join('\n'), { details: { problems } });
      const why = unread({ partner });
      return o.unknown('not-known', "the partner's scopes are not known", {
        details: { cause: (why.causes.join('; ') || partner.error) ?? `${partner.facts!.source} lists no scopes`, ...sourceNotes(partner) },
        ...(why.fix ? { fix: why.fix } : {}),
      });
    }
    const worded = word(platform.judgeScopes(shared, partnerScopes, read.pair), shared, partnerScopes.length, problems);
    if (worded) return worded;
    if (unsized.length > 0) {
      return o.unknown('size-unknown', `the size of ${unsized.join(', ')} is not known without a local source: give it with a prefix (e.g. /24)`, {
        details: { shared: shared.length },
      });
    }
    const span = shared.length === 1 ? scopeText(shared[0]!) : `${shared.length} scopes`;
    return o.pass('none-on-partner', `${span} to share; none exists on or overlaps a scope of the partner`, {
      details: { shared: shared.length, partnerScopes: partnerScopes.length, collisions: [] },
    });
  },
};
