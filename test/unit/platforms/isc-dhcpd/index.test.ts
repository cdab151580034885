import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { iscDhcpd } from '../../../../src/platforms/isc-dhcpd/index.js';
import { confText, factsOf, pairOf } from '../../../helpers/dhcpd-confs.js';

describe('isc-dhcpd platform module', () => {
  it("the failover port is the local declaration's peer port, else dhcpd's default 647", () => {
    const rows: [string, number, RegExp][] = [
      [confText('primary'), 847, /peer port of failover peer "dhcp-failover" \(.*c\d+\.conf line 6\)/],
      [confText('primary', { peerPort: '9647' }), 9647, /peer port/],
      [confText('primary').replace('  peer port 847;\n', ''), 647, /sets no peer port: dhcpd's default/],
    ];
    for (const [local, port, note] of rows) {
      const e = iscDhcpd.failoverEndpoint(pairOf(local, confText('secondary')));
      assert.equal(e.port, port);
      assert.match(e.note ?? '', note);
    }
    assert.equal(iscDhcpd.failoverEndpoint({}).port, 647);
  });

  it('a failover peer pairing these two is this pairing, not a new relationship', () => {
    assert.deepEqual(iscDhcpd.existingPairing!(pairOf(confText('primary'), confText('secondary'))), { local: 'dhcp-failover', partner: 'dhcp-failover' });
    // Names differ, addresses mirrored: still the declarations of this pair.
    assert.deepEqual(iscDhcpd.existingPairing!(pairOf(confText('primary', { name: 'a' }), confText('secondary', { name: 'b' }))), { local: 'a', partner: 'b' });
    // A peer with a third server is another relationship.
    const third = confText('primary', { peerAddress: '127.0.0.9', name: 'x' });
    const otherPartner = confText('secondary', { name: 'y', peerAddress: '127.0.0.8' });
    assert.equal(iscDhcpd.existingPairing!(pairOf(third, otherPartner)), undefined);
    assert.equal(iscDhcpd.relationshipLimit(factsOf(third)).max, undefined);
  });

  it('versions: 3.0 and later support failover, a lower bound from OMAPI included; 60 s clock limit', () => {
    const at = (major: number, minor: number, lowerBound?: boolean) =>
      iscDhcpd.versionVerdict({
        source: 't',
        platform: 'isc-dhcpd',
        version: { product: 'ISC dhcpd', major, minor, text: `${major}.${minor}`, ...(lowerBound ? { lowerBound } : {}) },
      }).supported;
    assert.equal(at(2, 0), false);
    assert.equal(at(3, 0, true), true);
    assert.equal(at(4, 4), true);
    assert.equal(iscDhcpd.clockLimit(undefined)?.seconds, 60);
  });
});
