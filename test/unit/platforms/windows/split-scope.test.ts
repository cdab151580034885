import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScopeFact } from '../../../../src/facts.js';
import { parseIPv4 } from '../../../../src/net/ipv4.js';
import { handedOut, isSplitPair } from '../../../../src/platforms/windows/split-scope.js';

const ip = (s: string) => parseIPv4(s)!;
const scope = (excl: [string, string][]): ScopeFact => ({
  network: ip('10.0.50.0'),
  prefix: 24,
  rangeStart: ip('10.0.50.10'),
  rangeEnd: ip('10.0.50.250'),
  exclusions: excl.map(([a, b]) => ({ start: ip(a), end: ip(b) })),
});

describe('split scopes', () => {
  it('hands out the range minus the exclusions', () => {
    assert.deepEqual(
      handedOut(
        scope([
          ['10.0.50.100', '10.0.50.109'],
          ['10.0.50.5', '10.0.50.20'],
        ]),
      ),
      [
        [ip('10.0.50.21'), ip('10.0.50.99')],
        [ip('10.0.50.110'), ip('10.0.50.250')],
      ],
    );
    assert.deepEqual(handedOut(scope([['10.0.50.0', '10.0.50.255']])), []);
  });

  it('an 80/20 split is a split pair, both ways round', () => {
    const primary = scope([['10.0.50.202', '10.0.50.250']]);
    const partner = scope([['10.0.50.10', '10.0.50.201']]);
    assert.equal(isSplitPair(primary, partner), true);
    assert.equal(isSplitPair(partner, primary), true);
  });

  it('the same ordinary exclusion on both, an overlap of one address, or no exclusion is not', () => {
    assert.equal(isSplitPair(scope([['10.0.50.10', '10.0.50.19']]), scope([['10.0.50.10', '10.0.50.19']])), false);
    assert.equal(isSplitPair(scope([['10.0.50.202', '10.0.50.250']]), scope([['10.0.50.10', '10.0.50.200']])), false);
    assert.equal(isSplitPair(scope([]), scope([['10.0.50.10', '10.0.50.201']])), false);
    // A side that hands out nothing is not a split either.
    assert.equal(isSplitPair(scope([['10.0.50.10', '10.0.50.250']]), scope([['10.0.50.100', '10.0.50.110']])), false);
  });
});
