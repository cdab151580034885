import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replication } from '../../../src/checks/replication.js';
import type { ServerFacts, WindowsFacts } from '../../../src/facts.js';
import { facts, makeContext } from '../../helpers/context.js';

const scope = (network: number) => ({ network, prefix: 24 });
const S10 = (10 << 24) + (10 << 8);
const S30 = (10 << 24) + (30 << 8);
const local = (w: WindowsFacts): ServerFacts => facts({ source: 'windows-json:dhcp1.json', scopes: [scope(S10), scope(S30)], windows: w });
const LOCAL: WindowsFacts = {
  classes: [
    { name: 'Printers', type: 'User', data: '5072696e74657273' },
    { name: 'MSFT 5.0', type: 'Vendor', data: '4d5346542035' },
  ],
  optionDefinitions: [{ optionId: 242, vendorClass: '', name: 'Avaya', type: 'String', multiValued: false }],
  optionValues: [
    { scopeId: '10.0.30.0', optionId: 242 },
    { scopeId: '10.0.30.0', optionId: 6, userClass: 'Printers' },
  ],
  policies: [{ scopeId: '10.0.10.0', name: 'Windows', vendorClasses: ['MSFT 5.0'], userClasses: [] }],
};
const partner = (w: WindowsFacts) => facts({ source: 'windows-json:dhcp2.json', windows: w });

describe('replication check', () => {
  it('passes when every class and option definition the shared scopes use exists on the partner alike', async () => {
    const o = await replication.run(
      makeContext({ local: local(LOCAL), partnerFacts: partner({ classes: LOCAL.classes!, optionDefinitions: LOCAL.optionDefinitions! }) }),
    );
    assert.equal(o.code, 'replication.consistent');
    assert.match(o.message, /\(3 checked\)$/);
  });

  it('fails naming each missing or different definition and who uses it', async () => {
    const o = await replication.run(
      makeContext({
        local: local(LOCAL),
        partnerFacts: partner({
          classes: [{ name: 'printers', type: 'User', data: '00' }],
          optionDefinitions: [{ optionId: 242, vendorClass: '', type: 'IPv4Address', multiValued: false }],
        }),
      }),
    );
    assert.equal(o.status, 'fail');
    assert.equal(o.code, 'replication.missing-on-partner');
    const lines = o.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    assert.deepEqual(lines, [
      'option definition 242 "Avaya" is defined differently on the partner (type IPv4Address, here String); used by scope 10.0.30.0 option 242',
      'user class "Printers" is defined differently on the partner (data 00, here 5072696e74657273); used by scope 10.0.30.0 option 6',
      'vendor class "MSFT 5.0" is missing on the partner; used by scope 10.0.10.0 policy "Windows"',
    ]);
    assert.match(o.fix ?? '', /Add-DhcpServerv4Class .*Add-DhcpServerv4OptionDefinition/);
    assert.equal(o.evidence?.length, 2);
  });

  it('judges only the scopes to share (--scope)', async () => {
    const o = await replication.run(
      makeContext({
        local: local(LOCAL),
        partnerFacts: partner({ classes: [], optionDefinitions: [] }),
        plan: { scopes: [{ network: S10, prefix: 24, text: '10.0.10.0/24' }] },
      }),
    );
    assert.deepEqual(
      o.message
        .split('\n')
        .slice(1)
        .map((l) => l.trim()),
      ['vendor class "MSFT 5.0" is missing on the partner; used by scope 10.0.10.0 policy "Windows"'],
    );
  });

  it('skips, saying which keys are missing, when a source does not list them', async () => {
    const noValues = await replication.run(
      makeContext({ local: facts({ scopes: [scope(S10)] }), partnerFacts: partner({ classes: [], optionDefinitions: [] }) }),
    );
    assert.equal(noValues.code, 'replication.not-known');
    assert.match(noValues.message, /OptionValues and Policies/);
    const noClasses = await replication.run(makeContext({ local: local(LOCAL), partnerFacts: facts() }));
    assert.equal(noClasses.code, 'replication.not-known');
    assert.match(noClasses.message, /Classes and OptionDefinitions/);
  });

  it('does not apply to platforms that replicate nothing', async () => {
    const o = await replication.run(makeContext({ local: facts({ platform: 'kea' }), partnerFacts: facts({ platform: 'kea' }) }));
    assert.equal(o.code, 'replication.not-applicable');
  });
});
