import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WINDOWS_BUNDLE_KEYS, WINDOWS_COLLECTOR } from '../../../src/sources/windows-bundle-keys.js';
import { windowsJsonFacts } from '../../../src/sources/windows-json.js';
import { fixturePath } from '../../helpers/context.js';

// One list of keys for the collector and the reader (the Pester suite also runs the collector and
// compares the keys it writes with this list).

const collector = readFileSync(fileURLToPath(new URL(`../../../../${WINDOWS_COLLECTOR}`, import.meta.url)), 'utf8');

describe('windows-json bundle keys', () => {
  it("the collector's Add-BundleKey calls are the list, in its order", () => {
    const written = [...collector.matchAll(/^Add-BundleKey '(\w+)'/gm)].map((m) => m[1]);
    assert.deepEqual(written, [...WINDOWS_BUNDLE_KEYS]);
  });

  it('the collector sets every key only through Add-BundleKey (none written another way)', () => {
    assert.doesNotMatch(collector, /\$bundle\[['"]\w+['"]\]\s*=/);
    assert.match(collector, /ConvertTo-Json -Depth \d+/, 'an explicit depth');
  });

  it("the reader reads every key of a bundle in the collector's shape", () => {
    const f = windowsJsonFacts('dhcp1.json', readFileSync(fixturePath('windows/collector/dhcp1.json'), 'utf8'));
    assert.equal(f.name, 'DHCP1');
    assert.equal(f.scopes?.[1]?.type, 'Both');
    assert.equal(f.identity?.user, 'CORP\\alice');
    assert.deepEqual(f.adminGroups?.[0], {
      name: 'DHCP Administrators',
      members: [{ name: 'CORP\\alice', sid: 'S-1-5-21-1-2-3-1104', objectClass: 'User', principalSource: 'ActiveDirectory' }],
    });
    assert.equal(f.windows?.classes?.length, 2);
    assert.deepEqual(f.windows?.optionDefinitions?.[1], { optionId: 242, vendorClass: '', name: 'Avaya', type: 'String', multiValued: false });
    assert.deepEqual(f.windows?.optionValues?.[2], { scopeId: '10.0.30.0', optionId: 6, userClass: 'Printers' });
    assert.deepEqual(f.windows?.policies, [{ scopeId: '10.0.30.0', name: 'Printer policy', vendorClasses: [], userClasses: ['Printers'] }]);
    assert.equal(f.windows?.dnsDynamicUpdates, 'OnClientRequest');
    assert.deepEqual(f.windows?.dnsCredential, { user: 'dhcp-dns', domain: 'CORP' });
    assert.deepEqual(f.windows?.bindings, [{ interfaceAlias: 'Ethernet', address: '10.0.0.11', bound: true }]);
    assert.equal(f.windows?.conflictDetectionAttempts, 0);
    assert.deepEqual(f.notes, ["collector: Identity: only the user name: hand-made like the collector's run off Windows"]);
    const two = windowsJsonFacts('dhcp2.json', readFileSync(fixturePath('windows/collector/dhcp2.json'), 'utf8'));
    assert.equal(two.windows?.dnsCredential, null, 'an empty user name is no credential');
    assert.equal(two.windows?.dnsDynamicUpdates, 'OnClientRequest', 'DynamicUpdates 1');
    assert.equal(two.windows?.bindings?.[0]?.address, '10.0.0.12', 'an IPAddress object');
  });

  it('every new key is optional, and a wrong shape names its path', () => {
    const f = windowsJsonFacts('min.json', '{"Version":{"MajorVersion":10,"MinorVersion":0}}');
    assert.equal(f.windows, undefined);
    assert.equal(f.adminGroups, undefined);
    assert.throws(
      () => windowsJsonFacts('bad.json', '{"Version":{"MajorVersion":10,"MinorVersion":0},"OptionValues":[{"ScopeId":"10.0.0.0","OptionId":300}]}'),
      /bad\.json: OptionValues\[0\]\.OptionId: expected an option id \(0-255\), got 300/,
    );
    assert.throws(
      () =>
        windowsJsonFacts(
          'bad.json',
          '{"Version":{"MajorVersion":10,"MinorVersion":0},"LocalGroups":[{"Name":"Administrators","Members":[{"SID":"S-1-5-32-544"}]}]}',
        ),
      /bad\.json: LocalGroups\[0\]\.Members\[0\]\.Name: expected a member name, got nothing/,
    );
  });
});
