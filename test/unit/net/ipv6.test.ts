import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIPv6, ipv6Groups } from '../../../src/net/ipv6.js';

describe('IPv6 classes', () => {
  it('names what is no partner at all, as the IPv4 classes are named', () => {
    for (const [a, k] of [
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['ff02::1', 'multicast'],
      ['fe80::1', 'link-local'],
      ['2001:db8::2', 'unicast'],
      ['not-an-address', 'reserved'],
    ] as const) {
      assert.equal(classifyIPv6(a), k, a);
    }
  });
  it('expands :: and an embedded IPv4 tail to 8 groups', () => {
    assert.deepEqual(ipv6Groups('::ffff:10.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
    assert.deepEqual(ipv6Groups('2001:db8::'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
  });
});
