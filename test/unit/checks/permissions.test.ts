import assert from 'node:assert/strict';
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

  describe("the person who will pair, against the partner's LocalGroups", () => {
    const member = (name: string, objectClass = 'User', sid?: string) => ({
      name,
      objectClass,
      principalSource: name.startsWith('DHCP2\\') ? 'Local' : 'ActiveDirectory',
      ...(sid ? { sid } : {}),
    });
    const partnerFacts = facts({
      source: 'windows-json:dhcp2.json',
      adminGroups: [
        { name: 'DHCP Administrators', members: [member('CORP\\bob', 'User', 'S-1-5-21-1-2-3-1105'), member('CORP\\DHCP Admins', 'Group')] },
        { name: 'Administrators', members: [member('DHCP2\\Administrator')] },
      ],
    });
    const local = (user: string, sid?: string) =>
      facts({ source: 'windows-json:dhcp1.json', identity: { user, ...(sid ? { sid } : {}), isDhcpAdministrator: true } });
    const nestedDirectory = (membership: DirectoryFacts['membership']): DirectoryFacts => ({
      ...directory(membership),
      user: { input: 'carol' },
      group: { input: 'DHCP Admins', dn: 'CN=DHCP Admins,OU=Groups,DC=corp,DC=example' },
    });

    it('passes a direct member (the local Identity by default), with evidence from both sides', async () => {
      const o = await permissions.run(makeContext({ local: local('CORP\\bob'), partnerFacts }));
      assert.equal(o.code, 'permissions.group-member');
      assert.equal(o.message, 'CORP\\bob is a member of DHCP Administrators on the partner');
      assert.deepEqual(o.evidence, [
        "user: CORP\\bob (the local source's Identity (windows-json:dhcp1.json))",
        'partner groups: DHCP Administrators (2 members), Administrators (1 member) (windows-json:dhcp2.json)',
      ]);
    });
    it('matches by SID when both sides give one (a renamed account)', async () => {
      assert.equal(
        (await permissions.run(makeContext({ local: local('CORP\\robert', 'S-1-5-21-1-2-3-1105'), partnerFacts }))).code,
        'permissions.group-member',
      );
    });
    it('--user overrides the local Identity', async () => {
      const o = await permissions.run(
        makeContext({
          local: local('CORP\\bob'),
          partnerFacts,
          plan: { ldap: { url: 'ldap://dc', insecure: false, user: 'mallory', adminGroup: 'DHCP Administrators' } },
          directory: { ...nestedDirectory('none'), user: { input: 'mallory' } },
        }),
      );
      expectFail(o, PERMISSIONS);
      assert.equal(o.code, 'permissions.not-group-member');
      assert.equal(o.evidence?.[0], 'user: mallory (--user)');
    });
    it('passes a member through a nested domain group the directory resolved (--ldap --admin-group)', async () => {
      const o = await permissions.run(makeContext({ local: local('CORP\\carol'), partnerFacts, directory: nestedDirectory('nested') }));
      assert.equal(o.code, 'permissions.group-member');
      assert.equal(o.message, 'carol is a member of DHCP Administrators on the partner through CORP\\DHCP Admins (directory)');
    });
    it('fails with the documented message when not a member, directly or through the resolved group', async () => {
      const o = await permissions.run(makeContext({ local: local('CORP\\carol'), partnerFacts, directory: nestedDirectory('none') }));
      expectFail(o, PERMISSIONS);
      assert.equal(o.code, 'permissions.not-group-member');
      const plain = facts({ adminGroups: [{ name: 'DHCP Administrators', members: [member('CORP\\bob')] }] });
      expectFail(await permissions.run(makeContext({ local: local('CORP\\carol'), partnerFacts: plain })), PERMISSIONS);
    });
    it('is unknown, naming the group, when only an unresolved nested group could make the user a member', async () => {
      const o = await permissions.run(makeContext({ local: local('CORP\\carol'), partnerFacts }));
      assert.equal(o.status, 'unknown');
      assert.equal(o.code, 'permissions.group-membership-not-known');
      assert.match(o.fix ?? '', /--admin-group "DHCP Admins"/);
    });
    it('names the directory error, not "ask the directory", when --ldap was given and could not be asked', async () => {
      const o = await permissions.run(
        makeContext({
          plan: { ldap: { url: 'ldap://127.0.0.1:389', insecure: true, adminGroup: 'DHCP Admins' } },
          local: local('CORP\\carol'),
          partnerFacts,
          directory: probeError('LDAP 127.0.0.1:389: invalid credentials (52e)'),
        }),
      );
      assert.equal(o.code, 'permissions.group-membership-not-known');
      assert.ok(o.evidence?.includes('directory: LDAP 127.0.0.1:389: invalid credentials (52e)'), JSON.stringify(o.evidence));
      assert.equal(
        o.fix,
        'Make the directory reachable and the bind work (--ldap, --ldap-bind-dn, LDAP_PASSWORD): LDAP 127.0.0.1:389: invalid credentials (52e). Then run again.',
      );
    });
    it('is unknown (not pass) when the bundle lists the groups without members', async () => {
      const empty = facts({
        adminGroups: [
          { name: 'DHCP Administrators', members: [] },
          { name: 'Administrators', members: [] },
        ],
        identity: { user: 'CORP\\x', isDhcpAdministrator: true },
      });
      const o = await permissions.run(makeContext({ local: local('CORP\\bob'), partnerFacts: empty }));
      assert.equal(o.status, 'unknown');
      assert.equal(o.code, 'permissions.group-membership-not-known');
    });
  });
});
