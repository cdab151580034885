import type { ScopeFact } from '../../facts.js';
import { formatIPv4 } from '../../net/ipv4.js';
import { scopeText } from '../../net/scope.js';
import type { DhcpdPoolFact } from '../../sources/dhcpd/facts.js';
import { compareSameScopes } from '../shared/same-scopes.js';
import type { Pair, ScopeJudgement } from '../types.js';
import { matchPeers } from './match.js';

// dhcpd replicates no configuration: every pool in failover must exist on both servers, in the
// same subnet, with the same ranges, naming the same peer. Pools are compared where both sides
// come from dhcpd.conf; otherwise (inventory files) subnets and their single range.

const WHY = 'dhcpd failover peers must carry the same subnets and pools with the same ranges.';
const FIX = 'Give both servers the same subnet and pool declarations (dhcpd replicates no configuration).';
const BOOTP_RANGE = 'dynamic-bootp flag is not permitted for address range declarations where there is a failover peer in scope.';

const range = (s: ScopeFact) =>
  s.rangeStart === undefined || s.rangeEnd === undefined ? 'no range' : `range ${formatIPv4(s.rangeStart)}-${formatIPv4(s.rangeEnd)}`;

const rangesText = (p: DhcpdPoolFact) =>
  p.ranges.length === 0
    ? 'no range'
    : p.ranges
        .map((r) => `${r.start}-${r.end}`)
        .sort()
        .join(', ');
const where = (p: DhcpdPoolFact) => `${p.file} line ${p.line}`;

function subnetJudgement(shared: ScopeFact[], partner: ScopeFact[], missingFails = true): ScopeJudgement {
  const { problems, missing } = compareSameScopes(shared, partner, (mine, theirs) =>
    range(mine) !== range(theirs) ? [`${scopeText(mine)}: ${range(mine)} here, ${range(theirs)} on the partner`] : [],
  );
  return { rule: 'same-on-both', why: WHY, problems, missing, missingFails, fix: FIX };
}

/** A failover pool that would serve BOOTP clients dynamically (failover cannot share such leases). */
function bootpProblems(role: string, pools: DhcpdPoolFact[]): string[] {
  const out: string[] = [];
  for (const p of pools) {
    for (const r of p.ranges)
      if (r.dynamicBootp)
        out.push(
          `${p.subnet ?? '?'}: the ${role} failover pool's range dynamic-bootp ${r.start} ${r.end} (${r.file} line ${r.line}): dhcpd says "${BOOTP_RANGE}"`,
        );
    if (p.allowsDynamicBootp)
      out.push(
        `${p.subnet ?? '?'}: the ${role} failover pool (${where(p)}) allows dynamic bootp clients: failover cannot share BOOTP leases (they never expire); use deny dynamic bootp clients`,
      );
  }
  return out;
}

export function dhcpdJudgeScopes(shared: ScopeFact[], partner: ScopeFact[], pair: Pair): ScopeJudgement {
  const l = pair.local?.dhcpd;
  const p = pair.partner?.dhcpd;
  if (!l || !p) return subnetJudgement(shared, partner);

  const m = matchPeers(pair);
  const sharedText = new Set(shared.map(scopeText));
  const localText = new Set((pair.local?.scopes ?? []).map(scopeText));
  // A subnet the local server has but the run was not asked to share (--scope) is left out.
  const inScope = (subnet: string | undefined) => subnet === undefined || sharedText.has(subnet) || !localText.has(subnet);
  const mineFo = l.pools.filter(
    (x) => x.peer !== undefined && (m.local === undefined || x.peer === m.local.name) && (x.subnet === undefined || sharedText.has(x.subnet)),
  );
  const theirsFo = p.pools.filter((x) => x.peer !== undefined && (m.partner === undefined || x.peer === m.partner.name) && inScope(x.subnet));

  // Before setup (no pool in failover on either side): the subnets themselves must match.
  if (mineFo.length === 0 && theirsFo.length === 0) return subnetJudgement(shared, partner, false);

  const problems: string[] = [...bootpProblems('local', mineFo), ...bootpProblems('partner', theirsFo)];
  const matched = new Set<DhcpdPoolFact>();
  // The partner's pools by subnet, in order: each local pool looks at its subnet's few, not at all
  // of them (75 000 pools a side took minutes, the signal handler waiting). Same matches.
  const theirsBySubnet = new Map<string | undefined, DhcpdPoolFact[]>();
  for (const b of theirsFo) {
    const list = theirsBySubnet.get(b.subnet);
    if (list) list.push(b);
    else theirsBySubnet.set(b.subnet, [b]);
  }
  for (const a of mineFo) {
    const candidates = theirsBySubnet.get(a.subnet) ?? [];
    const same = candidates.find((b) => !matched.has(b) && rangesText(b) === rangesText(a));
    if (same) {
      matched.add(same);
      continue;
    }
    const inSubnet = candidates.filter((b) => !matched.has(b));
    if (inSubnet.length > 0) {
      const b = inSubnet[0]!;
      matched.add(b);
      problems.push(`${a.subnet ?? '?'}: failover pool ranges ${rangesText(a)} here (${where(a)}), ${rangesText(b)} on the partner (${where(b)})`);
    } else {
      const other = p.pools.find((b) => b.subnet === a.subnet && rangesText(b) === rangesText(a));
      const why = other
        ? other.peer === undefined
          ? 'in no failover peer there'
          : `naming failover peer "${other.peer}" there`
        : partner.some((s) => scopeText(s) === a.subnet)
          ? 'missing there'
          : 'missing there, with its subnet';
      problems.push(`${a.subnet ?? '?'}: the failover pool ${rangesText(a)} (${where(a)}) is not on the partner as a failover pool of the same peer (${why})`);
    }
  }
  for (const b of theirsFo) {
    if (matched.has(b)) continue;
    problems.push(`${b.subnet ?? '?'}: the partner's failover pool ${rangesText(b)} (${where(b)}) is not on the local server`);
  }
  const mineSubnets = new Set(mineFo.map((x) => x.subnet));
  const notFailover = shared.filter((s) => !mineSubnets.has(scopeText(s))).map(scopeText);
  return {
    rule: 'same-on-both',
    why: WHY,
    problems,
    missing: [],
    missingFails: true,
    fix: FIX,
    details: {
      failoverPools: { local: mineFo.length, partner: theirsFo.length },
      ...(notFailover.length > 0 ? { subnetsWithoutFailoverPools: notFailover } : {}),
    },
  };
}
