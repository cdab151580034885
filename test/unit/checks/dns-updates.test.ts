import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dnsUpdates } from '../../../src/checks/dns-updates.js';
import type { WindowsFacts } from '../../../src/facts.js';
import { facts, makeContext } from '../../helpers/context.js';

const server = (w: WindowsFacts) => facts({ windows: { dnsDynamicUpdates: 'OnClientRequest', ...w } });

describe('dns-updates check', () => {
  it('passes when both register with the same credential (letter case aside)', async () => {
    const o = await dnsUpdates.run(
      makeContext({
        local: server({ dnsCredential: { user: 'dhcp-dns', domain: 'CORP' } }),
        partnerFacts: server({ dnsCredential: { user: 'DHCP-DNS', domain: 'corp' } }),
      }),
    );
    assert.equal(o.code, 'dns-updates.same-credential');
    assert.equal(o.evidence?.length, 2);
  });
  it('passes when neither registers DNS records', async () => {
    const o = await dnsUpdates.run(
      makeContext({
        local: server({ dnsCredential: null, dnsDynamicUpdates: 'Never' }),
        partnerFacts: server({ dnsCredential: null, dnsDynamicUpdates: 'Never' }),
      }),
    );
    assert.equal(o.code, 'dns-updates.no-updates');
  });
  it("warns with Microsoft's reason when the credentials differ, or only one server has one, or neither", async () => {
    for (const [a, b] of [
      [
        { user: 'a', domain: 'CORP' },
        { user: 'b', domain: 'CORP' },
      ],
      [{ user: 'a', domain: 'CORP' }, null],
      [null, null],
    ] as const) {
      const o = await dnsUpdates.run(makeContext({ local: server({ dnsCredential: a }), partnerFacts: server({ dnsCredential: b }) }));
      assert.equal(o.status, 'warn');
      assert.equal(o.code, 'dns-updates.different-credentials');
      assert.match(o.message, /only when both register with the same dynamic-update credential \(or both servers are in DnsUpdateProxy\)/);
      assert.match(o.fix ?? '', /Set-DhcpServerDnsCredential/);
    }
  });
  it('skips when a source does not list the credential', async () => {
    const o = await dnsUpdates.run(makeContext({ local: server({ dnsCredential: null }), partnerFacts: facts() }));
    assert.equal(o.code, 'dns-updates.not-known');
    assert.match(o.message, /the partner source does not list/);
  });
});
