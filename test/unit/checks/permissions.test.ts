import { describe, it } from 'node:test';
import { permissions } from '../../../src/checks/permissions.js';
import type { DirectoryFacts } from '../../../src/probes/ldap.js';
import { PERMISSIONS, expectFail, expectStatus } from '../../helpers/checks.js';
import { facts, makeContext, probeError } from '../../helpers/context.js';

describe('permissions check', () => {
  it('passes for a DHCP administrator', async () => {
    expectStatus(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\a', isDhcpAdministrator: true } }) })), 'pass');
  });
  it('fails with the documented message otherwise', async () => {
    expectFail(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\b', isDhcpAdministrator: false } }) })), PERMISSIONS);
  });
  const directory = (membership: DirectoryFacts['membership']): DirectoryFacts => ({
    base: 'DC=corp,DC=example',
    user: { input: 'alice', dn: 'CN=alice,CN=Users,DC=corp,DC=example' },
    group: { input: 'DHCP Administrators' },
    membership,
    computers: {},
    authorization: {},
    authorizedServers: [],
    notes: [],
  });
  it('fails with the documented message when the directory says the user is no member', async () => {
    expectFail(await permissions.run(makeContext({ directory: directory('none') })), PERMISSIONS);
  });
  it('passes when the directory finds a nested membership', async () => {
    expectStatus(await permissions.run(makeContext({ directory: directory('nested') })), 'pass');
  });
  it('is unknown when no source tells', async () => {
    expectStatus(await permissions.run(makeContext({ partnerFacts: facts({ identity: { user: 'CORP\\c' } }) })), 'unknown');
    expectStatus(await permissions.run(makeContext({ directory: probeError('LDAP 127.0.0.1:389: refused') })), 'unknown');
    expectStatus(await permissions.run(makeContext({})), 'unknown');
  });
});
