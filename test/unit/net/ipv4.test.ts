import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIPv4, formatIPv4, looksLikeIPv4, maskToPrefix, parseIPv4, prefixToMask } from '../../../src/net/ipv4.js';

const ip = (text: string): number => {
  const v = parseIPv4(text);
  assert.notEqual(v, undefined, `${text} parses`);
  return v!;
};

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
