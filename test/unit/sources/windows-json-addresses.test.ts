import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadWindowsJson, windowsJsonFacts } from '../../../src/sources/windows-json.js';
import { parseIPv4 } from '../../../src/net/ipv4.js';
import { fixturePath } from '../../helpers/context.js';

const ip = (s: string) => parseIPv4(s)!;
const bundle = (extra: Record<string, unknown>) => JSON.stringify({ Version: { MajorVersion: 10, MinorVersion: 0 }, ...extra });

describe('windows-json NetIPAddress', () => {
  it('reads PrefixOrigin numbers (ConvertTo-Json) and lists the addresses', async () => {
    const f = await loadWindowsJson(fixturePath('windows/addresses-dhcp.json'));
    assert.deepEqual(f.interfaceAddresses, [
      { address: '10.0.0.2', interface: 'Ethernet', prefix: 24, origin: 'dhcp', raw: '3' },
      { address: '169.254.12.7', interface: 'Ethernet 2', prefix: 16, origin: 'dhcp', raw: '3' },
      { address: '127.0.0.1', interface: 'Loopback Pseudo-Interface 1', prefix: 8, origin: 'well-known', raw: '2' },
    ]);
    assert.deepEqual(f.addresses, ['10.0.0.2', '169.254.12.7', '127.0.0.1']);
  });

  it('reads PrefixOrigin names in any case', async () => {
    const f = await loadWindowsJson(fixturePath('windows/addresses-manual.json'));
    assert.deepEqual(
      f.interfaceAddresses?.map((a) => a.origin),
      ['manual', 'dhcp', 'well-known'],
    );
    const g = windowsJsonFacts('b.json', bundle({ NetIPAddress: { IPAddress: '10.1.1.1', PrefixOrigin: 'routerADVERTISEMENT' } }));
    assert.deepEqual(g.interfaceAddresses, [{ address: '10.1.1.1', origin: 'router-advertisement', raw: 'routerADVERTISEMENT' }]);
  });

  it('refuses an unknown origin and a bad address, naming the path and value', () => {
    assert.throws(() => windowsJsonFacts('b.json', bundle({ NetIPAddress: [{ IPAddress: '10.1.1.1', PrefixOrigin: 7 }] })), {
      name: 'InputError',
      message: 'b.json: NetIPAddress[0].PrefixOrigin: expected a PrefixOrigin number (0-4) or name (Manual, Dhcp, ...), got 7',
    });
    assert.throws(() => windowsJsonFacts('b.json', bundle({ NetIPAddress: [{ IPAddress: 'fe80::1', PrefixOrigin: 1 }] })), {
      name: 'InputError',
      message: 'b.json: NetIPAddress[0].IPAddress: expected an IPv4 address, got fe80::1',
    });
  });

  it('leaves the facts without addresses when the key is absent', () => {
    const f = windowsJsonFacts('b.json', bundle({}));
    assert.equal(f.interfaceAddresses, undefined);
    assert.equal(f.addresses, undefined);
  });
});

describe('windows-json ExclusionRanges', () => {
  it('gives each scope its exclusions, from an array or a PowerShell 5.1 wrapper', async () => {
    const local = await loadWindowsJson(fixturePath('windows/split-local.json'));
    assert.deepEqual(
      local.scopes?.map((s) => s.exclusions),
      [[{ start: ip('10.0.50.202'), end: ip('10.0.50.250') }], [{ start: ip('10.0.60.10'), end: ip('10.0.60.19') }]],
    );
    const partner = await loadWindowsJson(fixturePath('windows/split-partner.json'));
    assert.deepEqual(partner.scopes?.[0]?.exclusions, [{ start: ip('10.0.50.10'), end: ip('10.0.50.201') }]);
  });

  it('refuses an exclusion outside its scope or reversed', () => {
    const scopes = [{ ScopeId: '10.0.1.0', SubnetMask: '255.255.255.0', StartRange: '10.0.1.10', EndRange: '10.0.1.200' }];
    assert.throws(
      () => windowsJsonFacts('b.json', bundle({ Scopes: scopes, ExclusionRanges: [{ ScopeId: '10.0.1.0', StartRange: '10.0.1.250', EndRange: '10.0.2.5' }] })),
      {
        message: 'b.json: ExclusionRanges[0]: 10.0.1.250-10.0.2.5 is outside scope 10.0.1.0/24 (ExclusionRanges)',
      },
    );
    assert.throws(
      () => windowsJsonFacts('b.json', bundle({ Scopes: scopes, ExclusionRanges: [{ ScopeId: '10.0.1.0', StartRange: '10.0.1.50', EndRange: '10.0.1.40' }] })),
      {
        message: 'b.json: ExclusionRanges[0]: StartRange 10.0.1.50 is after EndRange 10.0.1.40 (ExclusionRanges)',
      },
    );
  });
});
