import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIPv4, parseIPv4, prefixToMask } from '../../../src/net/ipv4.js';
import { findCollisions, parseScopeRequest, scopeRequestOf, subnetBounds } from '../../../src/net/scope.js';
import { InputError } from '../../../src/util/errors.js';

const numRuns = Number(process.env.FC_RUNS ?? 10000);

interface Cidr {
  network: number;
  prefix: number;
  id: number;
}

/**
 * CIDR scopes from a small corner of the address space (10.0.0.0/14, prefixes /14../28, with an
 * occasional wide or /0 scope), so random sets overlap often. Host bits are always zero.
 */
const cidrArb: fc.Arbitrary<Omit<Cidr, 'id'>> = fc
  .oneof(
    { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 ** 18 - 1 }), fc.integer({ min: 14, max: 28 })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 ** 18 - 1 }), fc.integer({ min: 0, max: 13 })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 ** 18 - 1 }), fc.integer({ min: 29, max: 32 })) },
  )
  .map(([offset, prefix]) => ({ network: ((0x0a000000 + offset * 16) & prefixToMask(prefix)) >>> 0, prefix }));

const key = (s: { network: number; prefix: number }) => `${formatIPv4(s.network)}/${s.prefix}`;

/** Distinct scopes (as a server's scopes are), each a separate object with an id. */
const scopeSet = (max: number) => fc.uniqueArray(cidrArb, { maxLength: max, selector: key }).map((xs) => xs.map((x, id) => ({ ...x, id })));

interface Expected {
  scope: Cidr;
  same?: Cidr;
  contained: Cidr[];
  containers: Cidr[];
}

/** The naive O(n·m) oracle: every partner scope classified against every wanted scope. */
function oracle(wanted: Cidr[], existing: Cidr[]): Expected[] {
  const out: Expected[] = [];
  for (const w of wanted) {
    const [lo, hi] = subnetBounds(w);
    const e: Expected = { scope: w, contained: [], containers: [] };
    for (const p of existing) {
      const [plo, phi] = subnetBounds(p);
      if (phi < lo || plo > hi) continue;
      if (plo === lo && phi === hi) e.same = p;
      else if (plo >= lo && phi <= hi) e.contained.push(p);
      else e.containers.push(p); // CIDR blocks either nest or are disjoint
    }
    if (e.same || e.contained.length > 0 || e.containers.length > 0) out.push(e);
  }
  return out;
}

const widest = (xs: Cidr[]) => xs.reduce<Cidr | undefined>((a, b) => (a === undefined || b.prefix < a.prefix ? b : a), undefined);
const ids = (xs: Cidr[]) => xs.map((x) => x.id).sort((a, b) => a - b);

describe('findCollisions against a naive O(n²) oracle', () => {
  it('finds the same colliding scopes, the same "same", every contained scope and the widest container', () => {
    fc.assert(
      fc.property(scopeSet(25), scopeSet(25), (wanted, existing) => {
        const got = findCollisions(wanted, existing);
        const want = oracle(wanted, existing);
        assert.deepEqual(
          got.map((c) => c.scope.id),
          want.map((e) => e.scope.id),
          'the same wanted scopes collide, in input order',
        );
        for (const [i, c] of got.entries()) {
          const e = want[i]!;
          assert.equal(c.same?.id, e.same?.id, `same for ${key(c.scope)}`);
          const reported = new Set(c.overlapping.map((x) => x.id));
          assert.equal(reported.size, c.overlapping.length, 'no partner scope is reported twice');
          for (const x of e.contained) assert.ok(reported.has(x.id), `${key(x)} inside ${key(c.scope)} is reported`);
          const w = widest(e.containers);
          if (w) assert.ok(reported.has(w.id), `the widest container ${key(w)} of ${key(c.scope)} is reported`);
          const possible = new Set([...e.contained, ...e.containers].map((x) => x.id));
          for (const x of c.overlapping) assert.ok(possible.has(x.id), `${key(x)} really overlaps ${key(c.scope)}`);
        }
      }),
      { numRuns },
    );
  });

  it('reports exactly one containing scope, the widest, plus all contained ones', () => {
    fc.assert(
      fc.property(scopeSet(25), scopeSet(25), (wanted, existing) => {
        const got = findCollisions(wanted, existing);
        const want = oracle(wanted, existing);
        assert.deepEqual(
          got.map((c) => ({ scope: c.scope.id, same: c.same?.id, overlapping: ids(c.overlapping) })),
          want.map((e) => {
            const w = widest(e.containers);
            return { scope: e.scope.id, same: e.same?.id, overlapping: ids([...e.contained, ...(w ? [w] : [])]) };
          }),
        );
      }),
      { numRuns },
    );
  });
});

describe('IPv4 round trips', () => {
  it('parseIPv4(formatIPv4(n)) === n for every 32-bit n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => parseIPv4(formatIPv4(n)) === n),
      { numRuns },
    );
  });
  it('formatIPv4(parseIPv4(s)) === s for canonical dotted quads', () => {
    fc.assert(
      fc.property(fc.ipV4(), (s) => formatIPv4(parseIPv4(s)!) === s),
      { numRuns },
    );
  });
  it('parseIPv4 rejects or canonically parses any short digits-and-dots string', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.]{0,20}$/), (s) => {
        const v = parseIPv4(s);
        if (v !== undefined) assert.equal(formatIPv4(v), s);
      }),
      { numRuns },
    );
  });
});

describe('parseScopeRequest never throws anything but InputError', () => {
  const probe = (text: string) => {
    try {
      const r = parseScopeRequest(text);
      // Whatever it accepts is a network with zero host bits.
      assert.ok(Number.isInteger(r.network) && r.network >= 0 && r.network <= 0xffffffff);
      if (r.prefix !== undefined) {
        assert.ok(r.prefix >= 0 && r.prefix <= 32);
        assert.equal((r.network & ~prefixToMask(r.prefix)) >>> 0, 0);
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      assert.ok(err.message.includes(text), `the message names the input: ${err.message}`);
    }
  };
  it('on valid scopes', () => {
    fc.assert(
      fc.property(cidrArb, fc.boolean(), (c, withPrefix) => {
        const text = withPrefix ? key(c) : formatIPv4(c.network);
        const r = parseScopeRequest(text);
        assert.equal(r.network, c.network);
        assert.equal(r.prefix, withPrefix ? c.prefix : undefined);
      }),
      { numRuns },
    );
  });
  it('on near-valid input', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '00', '01', '-1', 'x', '1e2', ' '));
    const text = fc
      .tuple(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.option(fc.oneof(fc.integer({ min: -1, max: 40 }).map(String), fc.constantFrom('', '/', 'x', '024'))),
      )
      .map(([parts, prefix]) => parts.join('.') + (prefix === null ? '' : `/${prefix}`));
    fc.assert(fc.property(text, probe), { numRuns });
  });
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), probe), { numRuns });
  });
});

describe('scopeRequestOf: what parseScopeRequest accepts, without its words', () => {
  // parseScopeRequest as it was before its fast path (split and regex): the oracle.
  const before = (text: string) => {
    const [addr = '', prefixText, ...rest] = text.trim().split('/');
    const network = parseIPv4(addr);
    if (network === undefined || rest.length > 0) return undefined;
    if (prefixText === undefined) return { text, network };
    if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return undefined;
    const prefix = Number(prefixText);
    if ((network & ~prefixToMask(prefix)) >>> 0 !== 0) return undefined;
    return { text, network, prefix };
  };
  const same = (text: string) => {
    assert.deepEqual(scopeRequestOf(text), before(text), JSON.stringify(text));
    if (before(text) === undefined) assert.throws(() => parseScopeRequest(text), InputError);
  };
  it('on valid scopes, near-valid input and arbitrary strings', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '00', '01', '-1', 'x', '1e2', ' '));
    const near = fc
      .tuple(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.option(fc.oneof(fc.integer({ min: -1, max: 40 }).map(String), fc.constantFrom('', '/', 'x', '024', '٣', ' 8', '8 ', '1/2'))),
        fc.constantFrom('', ' ', '\t', '\n'),
      )
      .map(([parts, prefix, pad]) => pad + parts.join('.') + (prefix === null ? '' : `/${prefix}`) + pad);
    fc.assert(fc.property(fc.oneof(cidrArb.map(key), near, fc.string({ unit: 'binary', maxLength: 40 })), same), { numRuns });
  });
});
