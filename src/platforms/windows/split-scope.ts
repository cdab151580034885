import type { ScopeFact } from '../../facts.js';
import { prefixToMask } from '../../net/ipv4.js';

// "You cannot configure DHCP failover using two DHCP servers that are already configured for a
// split-scope DHCP deployment." A split scope is the same scope on both servers, each excluding
// the part of the range the other hands out (the 80/20 rule), so their leases never clash.

type Interval = [start: number, end: number];

/** The addresses a scope hands out: its range minus its exclusions, as sorted disjoint intervals. */
export function handedOut(s: ScopeFact): Interval[] {
  const first = s.rangeStart ?? s.network;
  const last = s.rangeEnd ?? (s.network | ~prefixToMask(s.prefix)) >>> 0;
  const out: Interval[] = [];
  let from = first;
  for (const x of [...(s.exclusions ?? [])].sort((a, b) => a.start - b.start)) {
    if (x.end < from) continue;
    if (x.start > last) break;
    if (x.start > from) out.push([from, x.start - 1]);
    from = Math.max(from, x.end + 1);
    if (from > last) return out;
  }
  if (from <= last) out.push([from, last]);
  return out;
}

function intersects(a: Interval[], b: Interval[]): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    if (as <= be && bs <= ae) return true;
    if (ae < be) i++;
    else j++;
  }
  return false;
}

/** Both copies exclude something, both hand out something, and never the same address. */
export function isSplitPair(local: ScopeFact, partner: ScopeFact): boolean {
  if (!local.exclusions?.length || !partner.exclusions?.length) return false;
  const l = handedOut(local);
  const p = handedOut(partner);
  return l.length > 0 && p.length > 0 && !intersects(l, p);
}
