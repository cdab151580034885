import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv6 as nodeIsIPv6 } from 'node:net';
import fc from 'fast-check';
import { classifyIPv6, ipv6Groups, isIPv6 } from '../../../src/net/ipv6.js';

describe('isIPv6: the language of node:net isIPv6, without its regular expression', () => {
  it('agrees with node:net on the forms and the near misses', () => {
    const cases = [
      '::',
      '::1',
      '1::',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '1::8',
      '1:2:3:4:5:6::8',
      '::ffff:10.0.0.1',
      '1:2:3:4:5:6:1.2.3.4',
      '::1.2.3.4',
      '1::1.2.3.4',
      '1:2:3:4:5::1.2.3.4',
      '1:2:3:4:5:6::1.2.3.4',
      'fe80::1%eth0',
      'fe80::1%',
      'fe80::1%a b',
      'fe80::1%25:x.y-z',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      ':::',
      '1:::2',
      '1::2::3',
      ':1::2',
      '1::2:',
      '12345::',
      'g::1',
      '::01.2.3.4',
      '::1.2.3.256',
      '::1.2.3',
      '1.2.3.4',
      '1.2.3.4::',
      '',
      ':',
      '1:2:3:4:5:6:7:8%z',
      'FFFF::ABCD',
      '::ffff:1.2.3.4%x',
      '0:0:0:0:0:0:0:0',
      '::0:0:0:0:0:0:0',
      '::1:2:3:4:5:6:1.2.3.4',
    ];
    for (const c of cases) assert.equal(isIPv6(c), nodeIsIPv6(c), JSON.stringify(c));
  });
  it('agrees with node:net on generated text', () => {
    const piece = fc.constantFrom('', '0', '1', 'ab', 'ffff', '12345', 'g', ':', '::', '.', '1.2.3.4', '255.255.255.255', '01.1.1.1', '%', '%eth0', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join(':');
        assert.equal(isIPv6(text), nodeIsIPv6(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%xz- '.split('')), maxLength: 45 }), (text) => {
        assert.equal(isIPv6(text), nodeIsIPv6(text), JSON.stringify(text));
      }),
      { numRuns: 20000 },
    );
  });
});

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
