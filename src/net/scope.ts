import { formatIPv4, parseIPv4, prefixToMask } from './ipv4.js';
import type { ScopeRequest } from '../plan.js';
import type { ScopeFact } from '../facts.js';
import { InputError } from '../util/errors.js';

/** "10.0.0.0" or "10.0.0.0/24" as a user typed it with -s/--scope. Host bits must be zero. */
export function parseScopeRequest(text: string): ScopeRequest {
  const [addr = '', prefixText, ...rest] = text.trim().split('/');
  const network = parseIPv4(addr);
  if (network === undefined || rest.length > 0) {
    throw new InputError(`--scope: "${text}" is not a scope (expected an IPv4 network such as 10.0.0.0 or 10.0.0.0/24)`);
  }
  if (prefixText === undefined) return { text, network };
  if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    throw new InputError(`--scope: "${text}" has an invalid prefix length /${prefixText} (expected /0 to /32)`);
  }
  const prefix = Number(prefixText);
  if ((network & ~prefixToMask(prefix)) >>> 0 !== 0) {
    const fixed = `${formatIPv4((network & prefixToMask(prefix)) >>> 0)}/${prefix}`;
    throw new InputError(`--scope: "${text}" has host bits set (did you mean ${fixed}?)`);
  }
  return { text, network, prefix };
}

/** First and last address of the scope's subnet. */
export function subnetBounds(scope: Pick<ScopeFact, 'network' | 'prefix'>): [number, number] {
  const size = 2 ** (32 - scope.prefix);
  return [scope.network, scope.network + size - 1];
}

export function scopeText(scope: Pick<ScopeFact, 'network' | 'prefix'>): string {
  return `${formatIPv4(scope.network)}/${scope.prefix}`;
}

export interface Collision<T> {
  scope: T;
  /** A partner scope with the same network address and prefix. */
  same?: T;
  /** Partner scopes whose subnets overlap it (containing it, or contained in it). */
  overlapping: T[];
}

/**
 * Every scope of `wanted` that exists on, or overlaps a scope of, `existing`.
 * O((n + m) log m + output): `existing` is sorted once; each wanted subnet is found by binary
 * search, with a running maximum of subnet ends to find a containing subnet in O(1).
 */
export function findCollisions<T extends Pick<ScopeFact, 'network' | 'prefix'>>(wanted: readonly T[], existing: readonly T[]): Collision<T>[] {
  const sorted = existing.map((scope) => ({ scope, bounds: subnetBounds(scope) })).sort((a, b) => a.bounds[0] - b.bounds[0] || b.bounds[1] - a.bounds[1]);
  const starts = sorted.map((e) => e.bounds[0]);
  // maxEnd[i]: the entry with the greatest end among sorted[0..i] — the best candidate to contain
  // a subnet that starts after sorted[i] starts.
  const maxEnd: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const prev = i > 0 ? maxEnd[i - 1]! : -1;
    maxEnd.push(prev >= 0 && sorted[prev]!.bounds[1] >= sorted[i]!.bounds[1] ? prev : i);
  }

  const out: Collision<T>[] = [];
  for (const scope of wanted) {
    const [lo, hi] = subnetBounds(scope);
    const overlapping: T[] = [];
    let same: T | undefined;
    // One containing scope is reported: the widest (the first at a start, by the sort order).
    let container: T | undefined;
    // Entries starting inside [lo, hi]: equal to or contained in the wanted subnet (or, for
    // non-nested input, overlapping it from inside).
    const first = lowerBound(starts, lo);
    for (let i = first; i < sorted.length && sorted[i]!.bounds[0] <= hi; i++) {
      const e = sorted[i]!;
      if (e.bounds[0] === lo && e.bounds[1] === hi) same ??= e.scope;
      else if (e.bounds[0] === lo && e.bounds[1] > hi) container ??= e.scope;
      else overlapping.push(e.scope);
    }
    // An entry starting before lo that reaches lo contains (or overlaps) it.
    const before = first - 1;
    if (before >= 0) {
      const e = sorted[maxEnd[before]!]!;
      if (e.bounds[1] >= lo) container = e.scope;
    }
    if (container !== undefined) overlapping.unshift(container);
    if (same !== undefined || overlapping.length > 0) {
      out.push(same === undefined ? { scope, overlapping } : { scope, same, overlapping });
    }
  }
  return out;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
