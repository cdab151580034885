import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, type CliRun } from '../helpers/cli.js';
import { SEED, startSambaDc, type SambaDc } from '../helpers/samba.js';
import { ReportSchema } from '../../src/report/schema.js';

const PERMISSIONS = 'You do not have permissions to perform this operation on the remote DHCP server.';
const VERSION = 'The version of specified DHCP server does not support failover.';

describe('the CLI with a real Samba AD DC (--ldap)', () => {
  let dc: SambaDc;
  const runs: CliRun[] = [];
  before(async () => {
    dc = await startSambaDc({ strongAuth: true });
  });
  after(async () => {
    await dc?.stop();
  });

  async function cli(partner: string, extra: string[], password = dc.adminPassword) {
    const run = await runCli(
      [
        partner,
        '--local',
        'dhcp1.lab.test',
        '--only',
        'permissions,version,authorization',
        '--timeout',
        '5s',
        '--format',
        'json',
        '--ldap',
        dc.ldapsUrl,
        '--ldap-ca',
        dc.caFile,
        '--ldap-bind-dn',
        'Administrator@LAB.TEST',
        ...extra,
      ],
      { env: { LDAP_PASSWORD: password }, timeoutMs: 30_000 },
    );
    runs.push(run);
    const report = ReportSchema.parse(JSON.parse(run.stdout));
    const by = (id: string) => report.checks.find((c) => c.id === id)!;
    return { run, report, by };
  }

  test('a direct member of DHCP Administrators, partner on Windows Server 2022, both authorized: all pass', async () => {
    const { run, by } = await cli('dhcp2.lab.test', ['--user', 'dhcpadmin']);
    assert.equal(by('permissions').status, 'pass', JSON.stringify(by('permissions')));
    assert.equal(by('permissions').details.membership, 'direct');
    assert.equal(by('version').status, 'pass', JSON.stringify(by('version')));
    assert.match(String(by('version').details.partner), /10\.0 \(20348\)/);
    assert.equal(by('authorization').status, 'pass', JSON.stringify(by('authorization')));
    assert.equal(run.code, 0);
  });

  test('a member through a nested group passes', async () => {
    const { by } = await cli('dhcp2.lab.test', ['--user', 'nesteduser']);
    assert.equal(by('permissions').status, 'pass');
    assert.equal(by('permissions').details.membership, 'nested');
  });

  test('a user outside the group fails permissions with the exact message, naming user and group DNs', async () => {
    const { run, by } = await cli('dhcp2.lab.test', ['--user', 'plainuser']);
    const p = by('permissions');
    assert.equal(p.status, 'fail');
    assert.equal(p.message, PERMISSIONS);
    assert.equal(String(p.details.user).toLowerCase(), SEED.plainuser.toLowerCase());
    assert.equal(String(p.details.group).toLowerCase(), SEED.adminGroup.toLowerCase());
    assert.match(String(p.details.note), /local group/);
    assert.equal(run.code, 1);
  });

  test('a partner on Windows Server 2008 R2 fails version with the exact message; unauthorized warns', async () => {
    const { by } = await cli('dhcpold.lab.test', ['--user', 'dhcpadmin']);
    assert.equal(by('version').status, 'fail');
    assert.equal(by('version').message, VERSION);
    assert.match(String(by('version').details.partner), /6\.1/);
    assert.equal(by('authorization').status, 'warn');
    assert.match(by('authorization').fix ?? '', /Add-DhcpServerInDC/);
  });

  test('a wrong password: unknown with the cause, exit 3, no crash', async () => {
    const { run, by } = await cli('dhcp2.lab.test', ['--user', 'dhcpadmin'], 'Wr0ng-Distinct1ve-Pw!');
    assert.equal(by('permissions').status, 'unknown');
    assert.match(JSON.stringify(by('permissions').details), /credentials|52e/i);
    assert.equal(run.code, 3);
  });

  test("LDAPS without the DC's CA is rejected (certificate not verified), not trusted", async () => {
    const run = await runCli(
      ['dhcp2.lab.test', '--only', 'permissions', '--format', 'json', '--ldap', dc.ldapsUrl, '--ldap-bind-dn', 'Administrator@LAB.TEST', '--user', 'dhcpadmin'],
      { env: { LDAP_PASSWORD: dc.adminPassword }, timeoutMs: 30_000 },
    );
    runs.push(run);
    const p = ReportSchema.parse(JSON.parse(run.stdout)).checks.find((c) => c.id === 'permissions')!;
    assert.equal(p.status, 'unknown');
    assert.match(JSON.stringify(p.details), /certificate|tls/i);
  });

  test('the passwords appear in no output of any run', () => {
    assert.ok(runs.length >= 6);
    for (const run of runs) {
      for (const secret of [dc.adminPassword, 'Wr0ng-Distinct1ve-Pw!']) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'a password leaked');
      }
    }
  });
});
