import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIPv4, formatIPv4, looksLikeIPv4, maskToPrefix, parseIPv4, prefixToMask } from '../../src/net/ipv4.js';
import { findCollisions, parseScopeRequest, scopeText, subnetBounds } from '../../src/net/scope.js';
import { parseDuration } from '../../src/util/duration.js';
import { InputError } from '../../src/util/errors.js';

const ip = (text: string): number => {
  const v = parseIPv4(text);
  assert.notEqual(v, undefined, `${text} parses`);
  return v!;
};

/** A scope from "a.b.c.d/p", with a label so results can be compared by name. */
const cidr = (text: string) => {
  const [addr, prefix] = text.split('/');
  return { network: ip(addr!), prefix: Number(prefix), name: text };
};

/** Asserts `fn` throws an InputError whose message contains every one of `parts`. */
function throwsInput(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" names ${part}`);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
}

describe('parseIPv4', () => {
  it('parses valid dotted quads to unsigned integers', () => {
    assert.equal(parseIPv4('0.0.0.0'), 0);
    assert.equal(parseIPv4('10.0.0.2'), 0x0a000002);
    assert.equal(parseIPv4('192.168.1.254'), 0xc0a801fe);
    assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  });
  it('rejects leading zeros (ambiguous octal)', () => {
    assert.equal(parseIPv4('010.1.2.3'), undefined);
    assert.equal(parseIPv4('10.01.2.3'), undefined);
    assert.equal(parseIPv4('10.1.2.00'), undefined);
  });
  it('rejects a part above 255', () => {
    assert.equal(parseIPv4('256.1.2.3'), undefined);
    assert.equal(parseIPv4('300.1.2.3'), undefined);
    assert.equal(parseIPv4('1.2.3.999'), undefined);
  });
  it('rejects the wrong number of parts and empty input', () => {
    assert.equal(parseIPv4('1.2.3.4.5'), undefined);
    assert.equal(parseIPv4('1.2.3'), undefined);
    assert.equal(parseIPv4(''), undefined);
    assert.equal(parseIPv4('1..2.3'), undefined);
    assert.equal(parseIPv4(' 1.2.3.4'), undefined);
    assert.equal(parseIPv4('1.2.3.4 '), undefined);
    assert.equal(parseIPv4('a.b.c.d'), undefined);
  });
});

describe('formatIPv4', () => {
  it('formats unsigned integers', () => {
    assert.equal(formatIPv4(0), '0.0.0.0');
    assert.equal(formatIPv4(0xffffffff), '255.255.255.255');
    assert.equal(formatIPv4(0x0a000002), '10.0.0.2');
  });
});

describe('looksLikeIPv4', () => {
  it('is true for digits and dots with a dot, valid or not', () => {
    for (const s of ['10.0.0.2', '300.1.2.3', '1.2.3.4.5', '1.2', '010.0.0.1']) assert.equal(looksLikeIPv4(s), true, s);
  });
  it('is false for names and for digits without a dot', () => {
    for (const s of ['dhcp2', 'dhcp2.example.com', '1234', '', '10.0.0.2a', '1-2.3']) assert.equal(looksLikeIPv4(s), false, s);
  });
});

describe('classifyIPv4', () => {
  const cases: [string, string][] = [
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.5', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['169.253.1.1', 'unicast'],
    ['10.0.0.2', 'unicast'],
    ['223.255.255.255', 'unicast'],
  ];
  for (const [addr, kind] of cases) it(`${addr} is ${kind}`, () => assert.equal(classifyIPv4(ip(addr)), kind));
});

describe('prefixToMask / maskToPrefix', () => {
  it('converts prefixes to masks', () => {
    assert.equal(prefixToMask(0), 0);
    assert.equal(prefixToMask(1), 0x80000000);
    assert.equal(prefixToMask(24), ip('255.255.255.0'));
    assert.equal(prefixToMask(25), ip('255.255.255.128'));
    assert.equal(prefixToMask(32), 0xffffffff);
  });
  it('round-trips every prefix', () => {
    for (let p = 0; p <= 32; p++) assert.equal(maskToPrefix(prefixToMask(p)), p);
  });
  it('returns undefined for non-contiguous masks', () => {
    assert.equal(maskToPrefix(ip('255.0.255.0')), undefined);
    assert.equal(maskToPrefix(ip('255.255.255.1')), undefined);
    assert.equal(maskToPrefix(ip('0.255.255.255')), undefined);
  });
});

describe('parseScopeRequest', () => {
  it('accepts a bare network address', () => {
    assert.deepEqual(parseScopeRequest('10.0.0.0'), { text: '10.0.0.0', network: ip('10.0.0.0') });
  });
  it('accepts a network with a prefix', () => {
    assert.deepEqual(parseScopeRequest('10.0.0.0/24'), { text: '10.0.0.0/24', network: ip('10.0.0.0'), prefix: 24 });
    assert.deepEqual(parseScopeRequest('0.0.0.0/0'), { text: '0.0.0.0/0', network: 0, prefix: 0 });
    assert.deepEqual(parseScopeRequest('10.0.0.5/32'), { text: '10.0.0.5/32', network: ip('10.0.0.5'), prefix: 32 });
  });
  it('rejects a prefix above 32, naming the value', () => {
    throwsInput(() => parseScopeRequest('10.0.0.0/33'), '10.0.0.0/33', '/33');
  });
  it('rejects host bits, naming the value and suggesting the network', () => {
    throwsInput(() => parseScopeRequest('10.0.0.5/24'), '10.0.0.5/24', '10.0.0.0/24');
  });
  it('rejects other malformed input, naming it', () => {
    for (const bad of ['', '10.0.0', '300.0.0.0', '10.0.0.0/24/1', '10.0.0.0/', '10.0.0.0/x', 'dhcp/24', '10.0.0.0/-1']) {
      throwsInput(() => parseScopeRequest(bad), `"${bad}"`);
    }
  });
});

describe('subnetBounds / scopeText', () => {
  it('gives first and last address', () => {
    assert.deepEqual(subnetBounds(cidr('10.0.0.0/24')), [ip('10.0.0.0'), ip('10.0.0.255')]);
    assert.deepEqual(subnetBounds(cidr('0.0.0.0/0')), [0, 0xffffffff]);
    assert.deepEqual(subnetBounds(cidr('10.0.0.7/32')), [ip('10.0.0.7'), ip('10.0.0.7')]);
    assert.equal(scopeText(cidr('10.0.0.0/24')), '10.0.0.0/24');
  });
});

describe('findCollisions', () => {
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).sort();
  const run = (wanted: string[], existing: string[]) =>
    findCollisions(wanted.map(cidr), existing.map(cidr)).map((c) => ({
      scope: c.scope.name,
      same: c.same?.name,
      overlapping: names(c.overlapping),
    }));

  it('finds nothing in empty input', () => {
    assert.deepEqual(run([], []), []);
    assert.deepEqual(run(['10.0.0.0/24'], []), []);
    assert.deepEqual(run([], ['10.0.0.0/24']), []);
  });
  it('reports the exact same scope as same', () => {
    assert.deepEqual(run(['10.0.0.0/24'], ['10.0.0.0/24']), [{ scope: '10.0.0.0/24', same: '10.0.0.0/24', overlapping: [] }]);
  });
  it('reports a /25 inside the wanted /24', () => {
    assert.deepEqual(run(['10.0.0.0/24'], ['10.0.0.128/25']), [{ scope: '10.0.0.0/24', same: undefined, overlapping: ['10.0.0.128/25'] }]);
  });
  it('reports every scope contained in the wanted one', () => {
    assert.deepEqual(run(['10.0.0.0/16'], ['10.0.1.0/24', '10.0.200.0/24', '10.0.0.0/24', '10.1.0.0/24']), [
      { scope: '10.0.0.0/16', same: undefined, overlapping: ['10.0.0.0/24', '10.0.1.0/24', '10.0.200.0/24'] },
    ]);
  });
  it('reports a /16 containing the wanted /24', () => {
    assert.deepEqual(run(['10.2.3.0/24'], ['10.2.0.0/16']), [{ scope: '10.2.3.0/24', same: undefined, overlapping: ['10.2.0.0/16'] }]);
  });
  it('reports one containing scope, the widest, when several nest around it', () => {
    assert.deepEqual(run(['10.2.3.0/24'], ['10.2.0.0/16', '10.0.0.0/8', '10.2.2.0/23']), [
      { scope: '10.2.3.0/24', same: undefined, overlapping: ['10.0.0.0/8'] },
    ]);
  });
  it('finds a container after an earlier, shorter scope', () => {
    assert.deepEqual(run(['10.0.5.0/24'], ['9.0.0.0/8', '10.0.0.0/16', '10.0.1.0/24']), [
      { scope: '10.0.5.0/24', same: undefined, overlapping: ['10.0.0.0/16'] },
    ]);
  });
  it('reports same and contained together', () => {
    assert.deepEqual(run(['10.0.0.0/24'], ['10.0.0.0/24', '10.0.0.0/26', '10.0.0.192/26']), [
      { scope: '10.0.0.0/24', same: '10.0.0.0/24', overlapping: ['10.0.0.0/26', '10.0.0.192/26'] },
    ]);
  });
  it('does not report adjacent or disjoint scopes', () => {
    assert.deepEqual(run(['10.0.0.0/25', '10.0.1.0/24'], ['10.0.0.128/25', '10.0.2.0/24', '9.255.255.0/24']), []);
  });
  it('handles /0 and /32 at the ends of the address space', () => {
    assert.deepEqual(run(['255.255.255.255/32', '0.0.0.0/32'], ['0.0.0.0/0']), [
      { scope: '255.255.255.255/32', same: undefined, overlapping: ['0.0.0.0/0'] },
      { scope: '0.0.0.0/32', same: undefined, overlapping: ['0.0.0.0/0'] },
    ]);
    assert.deepEqual(run(['0.0.0.0/0'], ['255.255.255.255/32']), [{ scope: '0.0.0.0/0', same: undefined, overlapping: ['255.255.255.255/32'] }]);
  });
  it('keeps the order of the wanted scopes', () => {
    assert.deepEqual(
      run(['10.3.0.0/24', '10.1.0.0/24', '10.2.0.0/24'], ['10.0.0.0/8']).map((c) => c.scope),
      ['10.3.0.0/24', '10.1.0.0/24', '10.2.0.0/24'],
    );
  });
  it(
    'reports only the widest container when containers share the wanted scope\'s start address',
    () => {
      assert.deepEqual(run(['10.0.0.0/24'], ['10.0.0.0/16', '10.0.0.0/8']), [{ scope: '10.0.0.0/24', same: undefined, overlapping: ['10.0.0.0/8'] }]);
    },
  );
  it('is fast on large inputs (O(n log n), not O(n²))', () => {
    const n = 60_000;
    const wanted = Array.from({ length: n }, (_, i) => ({ network: (0x0a000000 + i * 512) >>> 0, prefix: 24 }));
    const existing = Array.from({ length: n }, (_, i) => ({ network: (0x0a000000 + i * 512 + 256) >>> 0, prefix: 24 }));
    existing.push({ network: 0x0b000000, prefix: 8 });
    const started = performance.now();
    const found = findCollisions(wanted, existing);
    const ms = performance.now() - started;
    // 10.0.0.0 + 60 000 * 512 runs into 11.0.0.0/8 for the last wanted scopes.
    const inEleven = wanted.filter((w) => w.network >= 0x0b000000).length;
    assert.equal(found.length, inEleven);
    assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms for ${n} x ${n}`);
  });
});

describe('parseDuration', () => {
  it('parses seconds, minutes, fractions and milliseconds', () => {
    assert.equal(parseDuration('60s', '--x'), 60_000);
    assert.equal(parseDuration('1m', '--x'), 60_000);
    assert.equal(parseDuration('1.5m', '--x'), 90_000);
    assert.equal(parseDuration('500ms', '--x'), 500);
    assert.equal(parseDuration('2h', '--x'), 7_200_000);
    assert.equal(parseDuration('5', '--x'), 5000);
  });
  it('rejects negative durations, naming the value and option', () => {
    throwsInput(() => parseDuration('-1s', '--timeout'), '--timeout', '"-1s"');
  });
  it('rejects unknown units', () => {
    throwsInput(() => parseDuration('1 fortnight', '--max-time-skew'), '--max-time-skew', '"1 fortnight"');
  });
  it('rejects zero', () => {
    throwsInput(() => parseDuration('0s', '--timeout'), '--timeout', '"0s"');
    throwsInput(() => parseDuration('0', '--timeout'), '"0"');
  });
  it('rejects empty and garbage', () => {
    for (const bad of ['', 's', '1e3s', '1.s', 'NaN']) throwsInput(() => parseDuration(bad, '--timeout'), `"${bad}"`);
  });
});
