import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseIPv4 } from '../../../src/net/ipv4.js';
import { loadWindowsJson, windowsJsonFacts } from '../../../src/sources/windows-json.js';
import { throwsInput } from '../../helpers/input-error.js';

const FIXTURES = 'test/fixtures/windows';
const ip = (text: string): number => parseIPv4(text)!;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'windows-json-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A minimal bundle with the given sections replaced, for one-off shapes. */
function bundle(extra: Record<string, unknown>): string {
  return JSON.stringify({ ComputerName: 'T', Version: { MajorVersion: 10, MinorVersion: 0 }, ...extra });
}

describe('loadWindowsJson', () => {
  it('reads a Windows PowerShell 5.1 bundle (BOM, IPAddress objects, TimeSpans, Status number)', async () => {
    const path = `${FIXTURES}/ps51-bundle.json`;
    const facts = await loadWindowsJson(path);
    assert.equal(facts.source, `windows-json:${path}`);
    assert.equal(facts.platform, 'windows');
    assert.equal(facts.name, 'DHCP-A');
    assert.deepEqual(facts.version, { product: 'Windows DHCP Server', major: 10, minor: 0, text: '10.0' });
    assert.deepEqual(facts.service, { state: 'running', raw: '4' });
    assert.equal(facts.maxRelationships, undefined, 'the Windows platform owns the 31');
    assert.equal(facts.maxClockSkewSeconds, 60);
    assert.deepEqual(facts.identity, { user: 'CORP\\dhcpadmin', isDhcpAdministrator: true });
    assert.equal(facts.scopes?.length, 13);
    assert.deepEqual(facts.scopes?.[0], {
      network: ip('10.1.0.0'),
      prefix: 24,
      rangeStart: ip('10.1.0.10'),
      rangeEnd: ip('10.1.0.200'),
      name: 'Floor 0',
      state: 'Active',
      type: 'Dhcp',
    });
    assert.equal(facts.scopes?.[3]?.state, 'InActive');
    assert.deepEqual(facts.scopes?.[12], {
      network: ip('172.16.0.0'),
      prefix: 22,
      rangeStart: ip('172.16.0.20'),
      rangeEnd: ip('172.16.3.250'),
      name: 'Servers',
      state: 'Active',
      type: 'Dhcp',
    });
    assert.deepEqual(facts.relationships, [
      { name: 'dhcp-a-dhcp-b', partner: 'dhcp-b.corp.example.test', mode: 'LoadBalance', scopeIds: ['10.1.0.0', '10.1.1.0'] },
    ]);
    assert.equal(facts.authorized, true);
    assert.equal(facts.domainJoined, true);
  });

  it('reads single items that PowerShell collapsed from arrays, and Status as a string', async () => {
    const facts = await loadWindowsJson(`${FIXTURES}/collapsed.json`);
    assert.deepEqual(facts.version, { product: 'Windows DHCP Server', major: 6, minor: 3, text: '6.3' });
    assert.deepEqual(facts.service, { state: 'running', raw: 'Running' });
    assert.equal(facts.scopes?.length, 1);
    assert.equal(facts.scopes?.[0]?.network, ip('192.168.50.0'));
    assert.deepEqual(facts.relationships, [{ name: 'single', partner: '192.168.50.3', mode: 'HotStandby', scopeIds: ['192.168.50.0'] }]);
    assert.equal(facts.maxClockSkewSeconds, undefined, 'DhcpMsgSyncDeltaTime null means unknown');
    assert.equal(facts.notes, undefined);
  });

  it('reads {value, Count} wrappers, Address-only IPAddress objects, enum numbers', async () => {
    const facts = await loadWindowsJson(`${FIXTURES}/wrapped.json`);
    assert.deepEqual(facts.service, { state: 'paused', raw: '7' });
    assert.deepEqual(
      facts.scopes?.map((s) => [s.network, s.prefix, s.rangeStart, s.rangeEnd, s.state]),
      [
        [ip('10.9.0.0'), 24, ip('10.9.0.10'), ip('10.9.0.200'), 'Active'],
        [ip('10.9.1.0'), 24, ip('10.9.1.10'), ip('10.9.1.200'), 'InActive'],
      ],
    );
    assert.deepEqual(facts.relationships, [{ name: 'wrapped', partner: '10.9.0.2', mode: 'HotStandby', scopeIds: ['10.9.0.0', '10.9.1.0'] }]);
    assert.deepEqual(facts.identity, { isDhcpAdministrator: false });
    assert.equal(facts.maxClockSkewSeconds, 30);
  });

  it('converts IPAddress.Address from its little-endian Int64 form', () => {
    const facts = windowsJsonFacts(
      't.json',
      bundle({
        Scopes: [{ ScopeId: { Address: 10, AddressFamily: 2 }, SubnetMask: { Address: 0xffffff }, StartRange: '10.0.0.1' }],
      }),
    );
    assert.deepEqual(facts.scopes, [{ network: ip('10.0.0.0'), prefix: 24, rangeStart: ip('10.0.0.1') }]);
  });

  it('leaves facts a bundle does not hold unknown', () => {
    const facts = windowsJsonFacts('t.json', bundle({}));
    for (const key of ['service', 'scopes', 'relationships', 'identity', 'maxClockSkewSeconds'] as const) {
      assert.equal(facts[key], undefined, key);
    }
    assert.deepEqual(windowsJsonFacts('t.json', bundle({ Scopes: null, Failover: [] })).scopes, []);
    assert.deepEqual(windowsJsonFacts('t.json', bundle({ Failover: null })).relationships, []);
  });

  it('names the file, the path and the value for a bad address', async () => {
    const path = `${FIXTURES}/wrong-types.json`;
    await assert.rejects(loadWindowsJson(path), {
      name: 'InputError',
      message: `${path}: Scopes[2].SubnetMask.IPAddressToString: expected an IPv4 address, got 300.0.0.0`,
    });
  });

  it('requires Version', async () => {
    const path = `${FIXTURES}/missing-version.json`;
    await assert.rejects(loadWindowsJson(path), {
      name: 'InputError',
      message: `${path}: Version: expected the Get-DhcpServerVersion output (required), got nothing`,
    });
  });

  it('reports wrong types with the document path', () => {
    throwsInput(
      () => windowsJsonFacts('t.json', JSON.stringify({ Version: { MajorVersion: '10', MinorVersion: 0 } })),
      't.json: Version.MajorVersion: expected a whole number, got "10"',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Identity: { User: 'x', IsDhcpAdministrator: 'yes' } })),
      't.json: Identity.IsDhcpAdministrator: expected true or false, got yes',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Parameters: { DhcpMsgSyncDeltaTime: -5 } })),
      't.json: Parameters.DhcpMsgSyncDeltaTime: expected a number >= 0, got -5',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Service: { Status: 9 } })),
      't.json: Service.Status: expected a ServiceControllerStatus number (1-7) or name, got 9',
    );
    throwsInput(() => windowsJsonFacts('t.json', '[1, 2]'), 't.json: (top level): expected an object with ComputerName, Version, Scopes, ..., got [1,2]');
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Scopes: { value: [{ ScopeId: '10.0.0.0', SubnetMask: 24 }], Count: 1 } })),
      't.json: Scopes.value[0].SubnetMask: expected an IPv4 address, got 24',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Failover: [{ Name: 'r', ScopeId: ['10.0.0.0', { Address: -1 }] }] })),
      't.json: Failover[0].ScopeId[1].Address: expected an IPv4 address as a 32-bit integer, got -1',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Failover: [{ Name: 'r', Mode: 5, ScopeId: [] }] })),
      't.json: Failover[0].Mode: expected "LoadBalance", "HotStandby", 0 or 1, got 5',
    );
  });

  it('truncates long offending values', () => {
    const long = 'x'.repeat(500);
    assert.throws(() => windowsJsonFacts('t.json', bundle({ Scopes: [{ ScopeId: long, SubnetMask: '255.0.0.0' }] })), {
      message: `t.json: Scopes[0].ScopeId: expected an IPv4 address, got ${'x'.repeat(57)}...`,
    });
  });

  it('refuses impossible scopes, naming the scope', () => {
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Scopes: [{ ScopeId: '10.0.0.0', SubnetMask: '255.0.255.0', Name: 'Odd' }] })),
      't.json: Scopes[0].SubnetMask: 255.0.255.0 is not a contiguous subnet mask (scope 10.0.0.0 (Odd))',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Scopes: [{ ScopeId: '10.0.1.5', SubnetMask: '255.255.255.0' }] })),
      't.json: Scopes[0].ScopeId: 10.0.1.5 has host bits set for mask 255.255.255.0; the network is 10.0.1.0',
    );
    throwsInput(
      () => windowsJsonFacts('t.json', bundle({ Scopes: [{ ScopeId: '10.0.1.0', SubnetMask: '255.255.255.0', EndRange: '10.0.2.9' }] })),
      't.json: Scopes[0].EndRange: 10.0.2.9 is outside 10.0.1.0/24 (scope 10.0.1.0)',
    );
  });

  it('reports invalid JSON with line and column', () => {
    throwsInput(
      () => windowsJsonFacts('t.json', '{\n  "Version": {\n    "MajorVersion": 10,\n  }\n}'),
      `t.json: invalid JSON at line 4, column 3: expected a property name in double quotes, found "}"`,
    );
    throwsInput(
      () => windowsJsonFacts('t.json', '{"Version": {"MajorVersion": 10'),
      `t.json: invalid JSON at line 1, column 32: expected ',' or '}', found end of input`,
    );
    throwsInput(() => windowsJsonFacts('t.json', ''), 't.json: invalid JSON at line 1, column 1: expected a value, found end of input');
    throwsInput(() => windowsJsonFacts('t.json', '{"a": [1, 2,]}'), 't.json: invalid JSON at line 1, column 13: expected a value, found "]"');
    throwsInput(() => windowsJsonFacts('t.json', '{"a": tru}'), 't.json: invalid JSON at line 1, column 7: expected a value, found "t"');
    throwsInput(() => windowsJsonFacts('t.json', '{} {}'), 't.json: invalid JSON at line 1, column 4: unexpected "{" after the end of the document');
  });

  it('refuses a missing file with one line', async () => {
    const path = join(dir, 'absent.json');
    await assert.rejects(loadWindowsJson(path), { name: 'InputError', message: `${path}: no such file` });
  });

  it('reads a bundle saved as UTF-16LE (Out-File in Windows PowerShell 5.1)', async () => {
    const text = await readFile(`${FIXTURES}/collapsed.json`, 'utf8');
    const path = join(dir, 'utf16.json');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/^\ufeff/, ''), 'utf16le')]));
    assert.equal((await loadWindowsJson(path)).name, 'DHCP-C');
  });

  // How fast is the bench's to say (npm run bench: scopes rows), not a timed test's.
  it('parses 100 000 scopes', () => {
    const scopes = [];
    for (let i = 0; i < 100_000; i++) {
      const net = `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0`;
      scopes.push({
        ScopeId: { Address: 0, IPAddressToString: net },
        SubnetMask: { IPAddressToString: '255.255.255.0' },
        Name: `s${i}`,
        State: 'Active',
        StartRange: net.replace(/0$/, '10'),
        EndRange: net.replace(/0$/, '200'),
      });
    }
    const text = bundle({ Scopes: scopes });
    const facts = windowsJsonFacts('big.json', text);
    assert.equal(facts.scopes?.length, 100_000);
    assert.deepEqual(facts.scopes?.[99_999], {
      network: facts.scopes?.[99_999]?.network,
      prefix: 24,
      rangeStart: (facts.scopes?.[99_999]?.network ?? 0) + 10,
      rangeEnd: (facts.scopes?.[99_999]?.network ?? 0) + 200,
      name: 's99999',
      state: 'Active',
    });
  });
});
