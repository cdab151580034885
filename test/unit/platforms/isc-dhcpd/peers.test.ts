import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dhcpdPairing, sanityErrors } from '../../../../src/platforms/isc-dhcpd/peers.js';
import { confText, factsOf, pairOf, pool } from '../../../helpers/dhcpd-confs.js';

// The pairing rule, one row per way real pairs are declared wrongly; each must fail for its reason.

const P = (parts = {}) => confText('primary', parts);
const S = (parts = {}) => confText('secondary', parts);

describe('isc-dhcpd pairing: two declarations of one pair', () => {
  it('the recipe pair agrees', () => {
    const v = dhcpdPairing(pairOf(P(), S()));
    assert.deepEqual(v.failures, []);
    assert.deepEqual(v.warnings, []);
    assert.equal(v.situation, 'configured pair');
    assert.match(v.summary, /failover peer "dhcp-failover", primary here and secondary on the partner/);
  });

  const rows: [string, string, string, RegExp][] = [
    [
      'both secondary',
      S({ role: 'secondary', tuning: '' }).replace('127.0.0.2;\n  port 847', '127.0.0.1;\n  port 647'),
      S(),
      /both servers are declared secondary for "dhcp-failover"; one must be primary, the other secondary/,
    ],
    ['both primary', P(), P({ address: '127.0.0.2', port: '847', peerAddress: '127.0.0.1', peerPort: '647' }), /both servers are declared primary/],
    ['addresses not mirrored', P({ peerAddress: '127.0.0.3' }), S(), /the partner server's address 127\.0\.0\.2 is not the local's peer address 127\.0\.0\.3/],
    ['peer names differ', P({ name: 'a' }), S({ name: 'b' }), /the peer names differ: "a" here \(.* line 1\), "b" on the partner/],
  ];
  for (const [what, local, partner, want] of rows) {
    it(`fails: ${what}`, () => {
      const v = dhcpdPairing(pairOf(local, partner));
      assert.ok(
        v.failures.some((f) => want.test(f)),
        v.failures.join('\n'),
      );
      assert.ok(v.fixes.length > 0);
    });
  }

  // The real pair reaches normal with one side's peer port wrong (the oracle): a warning, not a failure.
  for (const [what, local, partner, want] of [
    ['ports not mirrored', P(), S({ peerPort: '648' }), /the local server's port 647 is not the partner's peer port 648: the other direction/],
    ['default port against 847', P({ peerPort: '647' }), S(), /the partner server's port 847 is not the local's peer port 647/],
  ] as [string, string, string, RegExp][]) {
    it(`warns: ${what}`, () => {
      const v = dhcpdPairing(pairOf(local, partner));
      assert.deepEqual(v.failures, []);
      assert.ok(
        v.warnings.some((w) => want.test(w)),
        v.warnings.join('\n'),
      );
    });
  }

  it('a side with no failover peer fails; neither side only warns (before setup)', () => {
    const none = 'subnet 10.99.0.0 netmask 255.255.255.0 { range 10.99.0.100 10.99.0.200; }\n';
    assert.match(
      dhcpdPairing(pairOf(P(), none)).failures.join('\n'),
      /the partner conf declares no failover peer; both servers must declare the same failover peer/,
    );
    const v = dhcpdPairing(pairOf(none, none));
    assert.equal(v.situation, 'before setup');
    assert.deepEqual(v.failures, []);
    assert.equal(v.warnings.length, 1);
  });

  it('skips (says why) unless both sides come from dhcpd.conf', () => {
    const v = dhcpdPairing({ local: factsOf(P()), partner: { source: 'inventory:x', platform: 'isc-dhcpd' } });
    assert.match(v.notApplicable ?? '', /needs a dhcpd\.conf \(dhcpd:<file>\) for both servers/);
  });

  it('a running dhcpd that knows no such peer warns: it runs another conf', () => {
    const live = {
      omapi: {
        host: '127.0.0.2',
        port: 7912,
        outcome: 'answered' as const,
        states: [{ peer: 'dhcp-failover', error: 'no failover-state object named "dhcp-failover" on the server' }],
      },
    };
    const v = dhcpdPairing(pairOf(P(), S(), { partner: live }));
    assert.deepEqual(v.failures, []);
    assert.deepEqual(v.warnings, [
      'the partner server\'s running dhcpd has no failover peer "dhcp-failover" (OMAPI: not found): it does not run the conf read here, or was built without failover',
    ]);
  });

  it('a configured pair whose failover-state is not normal fails (peers.ha-not-operating), naming both states and what they mean', () => {
    const live = {
      omapi: {
        host: '127.0.0.1',
        port: 7911,
        outcome: 'answered' as const,
        states: [{ peer: 'dhcp-failover', localState: 'communications-interrupted', partnerState: 'unknown-state' }],
      },
    };
    const v = dhcpdPairing(pairOf(P(), S(), { local: live }));
    assert.deepEqual(v.failures, []);
    assert.deepEqual(
      v.findings?.map((f) => [f.code, f.level]),
      [['ha-not-operating', 'fail']],
    );
    assert.match(
      v.findings![0]!.text,
      /^the local dhcpd's failover "dhcp-failover" is communications-interrupted \(the partner cannot be reached; serving alone within MCLT limits\), and last heard of the other server as unknown-state \(the state is not known\)/,
    );
    // Seen from the partner's side; a transition (recover) only warns.
    const w = dhcpdPairing(
      pairOf(P(), S(), {
        partner: { ...live, omapi: { ...live.omapi, states: [{ peer: 'dhcp-failover', localState: 'recover', partnerState: 'partner-down' }] } },
      }),
    );
    assert.deepEqual(
      w.findings?.map((f) => [f.code, f.level]),
      [['ha-transition', 'warn']],
    );
    assert.match(w.findings![0]!.text, /^the partner dhcpd's failover "dhcp-failover" is recover/);
    const ok = dhcpdPairing(
      pairOf(P(), S(), { local: { ...live, omapi: { ...live.omapi, states: [{ peer: 'dhcp-failover', localState: 'normal', partnerState: 'normal' }] } } }),
    );
    assert.deepEqual(ok.warnings, []);
    assert.equal(ok.findings, undefined);
    assert.match(ok.summary, /OMAPI: normal\/normal$/);
  });
  it("the two declarations' max-response-delay / max-unacked-updates differ: peers.parameters-differ (warn)", () => {
    const v = dhcpdPairing(pairOf(P(), S({ tuning: '  load balance max seconds 5;\n  max-unacked-updates 5;\n' })));
    assert.deepEqual(
      v.findings?.map((f) => [f.code, f.level]),
      [['parameters-differ', 'warn']],
    );
    assert.match(v.findings![0]!.text, /max-unacked-updates unset here, 5 on the partner; load balance max seconds 3 here, 5 on the partner/);
  });
});

describe("isc-dhcpd sanity rules, in dhcpd's words", () => {
  const rows: [string, string, RegExp][] = [
    ['primary without mclt', P({ tuning: '  split 128;\n' }), /failover peer "dhcp-failover": primary failover server must have mclt\.$/],
    ['primary without split or hba', P({ tuning: '  mclt 600;\n' }), /primary failover server must have hba or split\.$/],
    ['secondary with split', S({ tuning: '  split 128;\n' }), /secondary may not define load balance settings\.$/],
    ['secondary with hba', S({ tuning: `  hba ${Array(32).fill('ff').join(':')};\n` }), /secondary may not define load balance settings\.$/],
    [
      'a peer no pool refers to',
      P({ subnets: 'subnet 10.99.0.0 netmask 255.255.255.0 { pool { range 10.99.0.100 10.99.0.200; } }\n' }),
      /Failover peer, dhcp-failover, has no referring pools\.$/,
    ],
    ['no role', P({ role: 'max-response-delay 60', tuning: '  mclt 600;\n' }), /neither primary nor secondary is declared$/],
  ];
  for (const [what, text, want] of rows) {
    it(what, () => {
      const errors = sanityErrors(factsOf(text));
      assert.ok(
        errors.some((e) => want.test(e)),
        errors.join('\n'),
      );
      assert.match(errors[0]!, /c\d+\.conf line 1: failover peer "dhcp-failover": /);
    });
  }
  it('the healthy sides have none', () => {
    assert.deepEqual(sanityErrors(factsOf(P())), []);
    assert.deepEqual(sanityErrors(factsOf(S())), []);
  });
  it("dhcpd -t's own lines come verbatim; ours for the same error are dropped", () => {
    const text = P({ tuning: '  split 128;\n' });
    const line = '/x/a.conf line 4: primary failover server must have mclt.';
    const v = dhcpdPairing(
      pairOf(text, S(), { local: { sanity: { binary: '/usr/sbin/dhcpd', exitCode: 1, lines: [line, 'Configuration file errors encountered -- exiting'] } } }),
    );
    assert.deepEqual(v.failures, [
      `dhcpd -t refuses the local conf: ${line}`,
      'dhcpd -t refuses the local conf: Configuration file errors encountered -- exiting',
    ]);
  });
  it('a pool in a shared-network refers to the peer too', () => {
    const text = P({
      subnets: `shared-network n {\n  subnet 10.99.0.0 netmask 255.255.255.0 { }\n  pool { failover peer "dhcp-failover"; range 10.99.0.100 10.99.0.200; }\n}\n`,
    });
    assert.deepEqual(sanityErrors(factsOf(text)), []);
    void pool;
  });
});
