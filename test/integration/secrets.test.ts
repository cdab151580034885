import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliOptions, type CliRun } from '../helpers/cli.js';
import { freePort, startKeaPair, type KeaPair } from '../helpers/kea.js';
import { startSambaDc, type SambaDc } from '../helpers/samba.js';
import { assertOneLineError } from '../helpers/hostile-run.js';

// Secrets never leave the process: passwords come only from the environment or files (no argv
// option exists for them), and with distinctive passwords, right and wrong, against a real Kea
// pair, a real Samba AD DC and unreachable servers, in every format on stdout and in --output
// files, none appears in stdout, stderr, a report file or an error message.

const KEA_PASSWORD = 'Kea-Sekr1t-Zebra-9087';
const KEA_WRONG = 'Kea-Wr0ng-Okapi-5521';
const LDAP_WRONG = 'Ldap-Wr0ng-Narwhal-3344';
const ARGV_SECRET = 'Argv-Sekr1t-Quokka-6610';

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-secrets-'));
  /** Every text any run produced: stdout, stderr and every --output file. */
  const produced: { what: string; text: string }[] = [];
  let outputN = 0;
  let secrets: string[] = [KEA_PASSWORD, KEA_WRONG, LDAP_WRONG, ARGV_SECRET];

  async function run(what: string, args: string[], opts: CliOptions = {}, formats = ['json', 'junit', 'tap', 'human']): Promise<CliRun[]> {
    const runs: CliRun[] = [];
    for (const format of formats) {
      const n = ++outputN;
      const outputs = ['json', 'junit', 'tap', 'human'].map((f) => ({ f, path: join(dir, `out-${n}.${f}`) }));
      const r = await runCli([...args, '--format', format, ...outputs.flatMap(({ f, path }) => ['--output', `${f}=${path}`])], { timeoutMs: 60_000, ...opts });
      runs.push(r);
      produced.push({ what: `${what} --format ${format}: stdout`, text: r.stdout }, { what: `${what} --format ${format}: stderr`, text: r.stderr });
      for (const { f, path } of outputs) {
        let text = '';
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          // a usage error writes no report
        }
        produced.push({ what: `${what}: --output ${f}`, text });
      }
    }
    return runs;
  }

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('no command-line option can carry a password', () => {
    for (const flag of ['--ldap-password', '--kea-password', '--password']) {
      test(`${flag} <secret>: exit 2, and the value is not echoed`, async () => {
        const r = await runCli(['127.0.0.2', flag, ARGV_SECRET]);
        assertOneLineError(r, flag);
        produced.push({ what: `${flag} x`, text: r.stdout + r.stderr });
      });
    }
    for (const flag of ['--ldap-password', '--kea-password']) {
      test(`${flag}=<secret>: exit 2, and the value is not echoed`, async () => {
        const r = await runCli(['127.0.0.2', `${flag}=${ARGV_SECRET}`]);
        assertOneLineError(r, flag);
        assert.ok(!r.stderr.includes(ARGV_SECRET), `echoed: ${r.stderr}`);
      });
    }
    test('a password in the config file is refused (unknown key), its value not echoed', async () => {
      const config = join(dir, 'with-password.json');
      writeFileSync(config, JSON.stringify({ partner: '127.0.0.2', kea: { user: 'kea', password: ARGV_SECRET } }));
      const r = await runCli(['--config', config]);
      assertOneLineError(r, config, 'password');
      produced.push({ what: 'config with password', text: r.stdout + r.stderr });
    });
    test('credentials in a kea: URL are refused, not echoed', async () => {
      const r = await runCli(['127.0.0.2', '--partner-source', `kea:http://kea:${ARGV_SECRET}@127.0.0.2:8000/`]);
      assertOneLineError(r, '--partner-source');
      produced.push({ what: 'kea URL with credentials', text: r.stdout + r.stderr });
    });
    test('credentials in a kea: URL that is not even a valid URL, or in an --ldap URL, are refused, not echoed', async () => {
      for (const args of [
        ['--partner-source', `kea:http://kea:${ARGV_SECRET}@bad host/`],
        ['--ldap', `ldaps://admin:${ARGV_SECRET}@dc.lab.test/x`],
        ['--ldap', `ldaps://admin:${ARGV_SECRET}@dc.lab.test`],
      ]) {
        const r = await runCli(['127.0.0.2', ...args]);
        assertOneLineError(r, args[0]!);
        assert.ok(!r.stderr.includes(ARGV_SECRET), `echoed: ${r.stderr}`);
        produced.push({ what: `URL with credentials: ${args[0]}`, text: r.stdout + r.stderr });
      }
    });
  });

  describe('a real Kea pair (partner agent with basic auth)', () => {
    let pair: KeaPair;
    let pwFile: string;
    let wrongPermissions = '';
    before(async () => {
      pair = await startKeaPair('before-setup', { password: KEA_PASSWORD });
      pwFile = join(dir, 'kea.pw');
      writeFileSync(pwFile, `${KEA_PASSWORD}\n`);
    });
    after(() => pair?.stop());
    const base = () => ['127.0.0.2', '--local-source', `kea:${pair.local.url}`, '--partner-source', `kea:${pair.partner.url}`, '--timeout', '3s', '--verbose'];

    test('the right password from KEA_PASSWORD: the agent is asked (permissions pass), every format', async () => {
      const runs = await run('kea right (env)', [...base(), '--kea-user', 'kea'], { env: { KEA_PASSWORD } });
      const report = JSON.parse(runs[0]!.stdout) as { checks: { id: string; status: string }[] };
      assert.equal(report.checks.find((c) => c.id === 'permissions')?.status, 'pass', runs[0]!.stdout);
    });
    test('the right password from --kea-password-file (with DEBUG set)', async () => {
      await run('kea right (file)', [...base(), '--kea-user', 'kea', '--kea-password-file', pwFile], { env: { DEBUG: '*' } }, ['json', 'human']);
    });
    test('a wrong password: permissions fail or unknown, every format', async () => {
      const runs = await run('kea wrong', [...base(), '--kea-user', 'kea'], { env: { KEA_PASSWORD: KEA_WRONG } });
      const report = JSON.parse(runs[0]!.stdout) as { checks: { id: string; status: string; details: unknown }[] };
      const p = report.checks.find((c) => c.id === 'permissions')!;
      assert.ok(['fail', 'unknown'].includes(p.status), JSON.stringify(p));
      wrongPermissions = JSON.stringify(p.details);
    });
    test('… and the permissions details say the agent answered 401', () => {
      assert.match(wrongPermissions, /401|Unauthorized/);
    });
    test('an unreachable agent, with the password set', async () => {
      const port = await freePort('127.0.0.2');
      await run('kea unreachable', ['127.0.0.2', '--partner-source', `kea:http://127.0.0.2:${port}/`, '--kea-user', 'kea', '--timeout', '2s'], {
        env: { KEA_PASSWORD },
      });
    });
  });

  describe('a real Samba AD DC', () => {
    let dc: SambaDc;
    before(async () => {
      dc = await startSambaDc();
      secrets = [...secrets, dc.adminPassword];
    });
    after(() => dc?.stop());
    const base = () => [
      '127.0.0.2',
      '--local',
      'dhcp1.lab.test',
      '--only',
      'ip,permissions,version,authorization',
      '--timeout',
      '5s',
      '--verbose',
      '--ldap-bind-dn',
      'Administrator@LAB.TEST',
      '--user',
      'dhcpadmin',
    ];

    test('the right password over LDAPS (LDAP_PASSWORD), every format: the directory answers', async () => {
      const runs = await run('ldap right', [...base(), '--ldap', dc.ldapsUrl, '--ldap-ca', dc.caFile], { env: { LDAP_PASSWORD: dc.adminPassword } });
      const report = JSON.parse(runs[0]!.stdout) as { checks: { id: string; status: string }[] };
      assert.equal(report.checks.find((c) => c.id === 'permissions')?.status, 'pass', runs[0]!.stdout);
    });
    test('the right password over StartTLS from --ldap-password-file, with DEBUG=* (ldapts debug output on)', async () => {
      const pw = join(dir, 'ldap.pw');
      writeFileSync(pw, dc.adminPassword);
      await run(
        'ldap right (file, starttls, DEBUG)',
        [...base(), '--ldap', dc.ldapUrl, '--ldap-ca', dc.caFile, '--ldap-password-file', pw],
        { env: { DEBUG: '*' } },
        ['json', 'tap'],
      );
    });
    test('a wrong password: unknown with "invalid credentials", every format', async () => {
      const runs = await run('ldap wrong', [...base(), '--ldap', dc.ldapsUrl, '--ldap-ca', dc.caFile], { env: { LDAP_PASSWORD: LDAP_WRONG } });
      assert.match(runs[0]!.stdout, /invalid credentials/);
    });
    test('an unreachable directory, with the password set', async () => {
      await run('ldap unreachable', [...base(), '--ldap', 'ldaps://127.0.0.3:1', '--ldap-insecure'], { env: { LDAP_PASSWORD: dc.adminPassword } }, [
        'json',
        'junit',
      ]);
    });
  });

  test('no secret (nor its basic-auth encoding) appears in anything any run produced', () => {
    assert.ok(produced.length > 50, `${produced.length} outputs`);
    assert.ok(
      produced.some((p) => p.text.includes('"schemaVersion"')),
      'no JSON report was captured',
    );
    assert.ok(
      produced.some((p) => p.text.includes('<testsuite')),
      'no JUnit report was captured',
    );
    assert.ok(
      produced.some((p) => p.text.startsWith('TAP version 14')),
      'no TAP report was captured',
    );
    const forms = secrets.flatMap((s) => [s, Buffer.from(`kea:${s}`).toString('base64'), encodeURIComponent(s)]);
    for (const { what, text } of produced) {
      for (const form of forms) assert.ok(!text.includes(form), `${what} contains a secret`);
    }
  });
});
