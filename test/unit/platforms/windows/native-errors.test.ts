import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS_BY_ID } from '../../../../src/checks/index.js';
import type { CheckId } from '../../../../src/checks/ids.js';
import { outcomes } from '../../../../src/checks/types.js';
import { runChecks } from '../../../../src/runner.js';
import { DHCPSAPI_HEADER, NATIVE_ERRORS, nativeErrorOf } from '../../../../src/platforms/windows/native-errors.js';
import { PLATFORMS } from '../../../../src/platforms/index.js';
import { facts, makeContext } from '../../../helpers/context.js';

// Numbers and names from Microsoft's "DHCP Server Management API Error Codes" (dhcpsapi), written
// out here on purpose: a typo in the table must fail.
const EXPECTED: Record<string, [number, string]> = {
  'dns.unresolved': [20124, 'ERROR_DHCP_SERVER_NAME_NOT_RESOLVED'],
  'ip.not-ipv4': [87, 'ERROR_INVALID_PARAMETER'],
  'reachability.unreachable': [20122, 'ERROR_DHCP_SERVER_NOT_REACHABLE'],
  'version.partner-too-old': [20118, 'ERROR_DHCP_FO_NOT_SUPPORTED'],
  'permissions.denied': [20121, 'ERROR_DHCP_NO_ADMIN_PERMISSION'],
  'permissions.not-group-member': [20121, 'ERROR_DHCP_NO_ADMIN_PERMISSION'],
  'relationships.maximum-reached': [20128, 'ERROR_DHCP_FO_MAX_RELATIONSHIPS'],
  'service.not-running': [20123, 'ERROR_DHCP_SERVER_NOT_RUNNING'],
  'time.skew-exceeded': [20119, 'ERROR_DHCP_FO_TIME_OUT_OF_SYNC'],
  'scopes.exists-on-partner': [20004, 'ERROR_DHCP_SUBNET_EXISTS'],
};

// The header's own hex values (Windows SDK um/dhcpsapi.h, "DHCP failover error codes"), written
// out as the header writes them: MS-DHCPM's prose lists some of these one lower.
const HEADER_HEX: Record<string, string> = {
  ERROR_DHCP_SUBNET_EXISTS: '0x00004E24', // the header spells it ERROR_DHCP_SUBNET_EXITS
  ERROR_DHCP_SUBNET_NOT_PRESENT: '0x00004E25',
  ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP: '0x00004E91',
  ERROR_DHCP_FO_RELATIONSHIP_EXISTS: '0x00004E92',
  ERROR_DHCP_FO_NOT_SUPPORTED: '0x00004E96',
  ERROR_DHCP_FO_TIME_OUT_OF_SYNC: '0x00004E97',
  ERROR_DHCP_NO_ADMIN_PERMISSION: '0x00004E99',
  ERROR_DHCP_SERVER_NOT_REACHABLE: '0x00004E9A',
  ERROR_DHCP_SERVER_NOT_RUNNING: '0x00004E9B',
  ERROR_DHCP_SERVER_NAME_NOT_RESOLVED: '0x00004E9C',
  ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG: '0x00004E9D',
  ERROR_DHCP_FO_MAX_RELATIONSHIPS: '0x00004EA0',
  ERROR_DHCP_FO_BOOT_NOT_SUPPORTED: '0x00004EA3',
};

describe('Windows error numbers', () => {
  it('every number in the table is the header value of its name', () => {
    for (const [name, hex] of Object.entries(HEADER_HEX)) assert.equal(DHCPSAPI_HEADER[name], Number(hex), name);
    for (const [code, e] of Object.entries(NATIVE_ERRORS)) assert.equal(e.code, DHCPSAPI_HEADER[e.name], `${code}: ${e.name}`);
  });

  it('the numbers peers names in its sentences are the header values', async () => {
    const { judgeWindowsPairing } = await import('../../../../src/platforms/windows/pairing.js');
    const v = judgeWindowsPairing({ relationshipName: 'x'.repeat(127), local: facts({ relationships: [] }), partner: facts({ relationships: [] }) });
    assert.match(
      v.failures.join(' '),
      new RegExp(`ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG, ${DHCPSAPI_HEADER['ERROR_DHCP_FO_RELATIONSHIP_NAME_TOO_LONG']}\\)`),
    );
    const taken = judgeWindowsPairing({
      relationshipName: 'A',
      local: facts({ relationships: [{ name: 'a', scopeIds: [] }] }),
      partner: facts({ relationships: [] }),
    });
    assert.match(taken.failures.join(' '), new RegExp(`ERROR_DHCP_FO_RELATIONSHIP_EXISTS, ${DHCPSAPI_HEADER['ERROR_DHCP_FO_RELATIONSHIP_EXISTS']}\\)`));
  });

  it('gives each of the nine failures the Win32 error Add-DhcpServerv4Failover returns', () => {
    for (const [code, [number, name]] of Object.entries(EXPECTED)) assert.deepEqual(nativeErrorOf(code, ''), { code: number, name }, code);
  });

  it('names only codes the checks really give, all of them failures', () => {
    for (const code of Object.keys(EXPECTED)) {
      const [id, slug] = code.split('.') as [CheckId, string];
      assert.equal(CHECKS_BY_ID[id].codes[slug], 'fail', code);
    }
  });

  it('tells the two local scope problems apart', () => {
    assert.equal(nativeErrorOf('scopes.local-problem', 'Scope 10.0.0.0 is already in failover relationship "a" on the local server.')?.code, 20113);
    assert.equal(nativeErrorOf('scopes.local-problem', 'Scope 10.9.9.0/24 does not exist on the local server.')?.code, 20005);
    assert.equal(nativeErrorOf('scopes.local-problem', 'The local server has no IPv4 scope; failover needs at least one.'), undefined);
  });

  it('is given only by the Windows platform', () => {
    for (const [id, p] of Object.entries(PLATFORMS)) if (id !== 'windows') assert.equal(p.nativeError, undefined, id);
  });

  it('the runner puts it in details of a failure on a Windows pair, and nowhere else', async () => {
    const o = outcomes('service', { 'not-running': 'fail', running: 'pass' });
    const checks = [
      { id: 'service' as const, title: 't', codes: o.codes, run: async () => o.fail('not-running', 'm', { details: { state: 'stopped' } }) },
      { id: 'time' as const, title: 't', codes: {}, run: async () => ({ status: 'pass' as const, code: 'time.in-sync', message: 'ok', details: {} }) },
    ];
    const [service, time] = await runChecks(makeContext({ partnerFacts: facts({ platform: 'windows' }) }), {}, checks);
    assert.deepEqual(service!.details, { state: 'stopped', windowsError: { code: 20123, name: 'ERROR_DHCP_SERVER_NOT_RUNNING' } });
    assert.deepEqual(time!.details, {});
    const [kea] = await runChecks(makeContext({ partnerFacts: facts({ platform: 'kea' }) }), {}, checks);
    assert.deepEqual(kea!.details, { state: 'stopped' });
  });
});
