import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/context.js';
import { PWSH_INSTALL, findPester, findPwsh } from '../helpers/pwsh.js';
import { ReportSchema } from '../../src/report/schema.js';

// collectors/windows.ps1 under real PowerShell: the Pester suite (test/pester/) runs here, so its
// failures fail `npm test`; then the bundles the collector wrote over the mocked cmdlets go to the
// windows-json: source and must give the verdicts the same facts give as hand-made bundles
// (test/fixtures/windows/collector/). Without pwsh: a failure under CI=true, a skip elsewhere.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pwsh = findPwsh();
const pester = findPester();
const missing = !pwsh ? 'pwsh is missing' : !pester ? 'Pester 5 is missing' : undefined;

function needPowerShell(t: TestContext): boolean {
  if (!missing) return true;
  if (process.env['CI'] === 'true') assert.fail(`${missing} (CI=true): ${PWSH_INSTALL}`);
  t.skip(`skipped the collector tests: ${missing}; ${PWSH_INSTALL}`);
  return false;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const bundleDir = mkdtempSync(join(tmpdir(), 'collector-bundles-'));

describe('the Windows collector under PowerShell (Pester)', { concurrency: false }, () => {
  let ran = false;

  test('the Pester suite passes', async (t) => {
    if (!needPowerShell(t)) return;
    const script = [
      `Import-Module '${pester!.replace(/'/g, "''")}'`,
      '$c = New-PesterConfiguration',
      "$c.Run.Path = 'test/pester'",
      '$c.Run.PassThru = $true',
      "$c.Output.Verbosity = 'Detailed'",
      '$r = Invoke-Pester -Configuration $c',
      "Write-Output ('PESTER-RESULT ' + (@{ passed = $r.PassedCount; failed = $r.FailedCount; total = $r.TotalCount; skipped = $r.SkippedCount; version = (Get-Module Pester).Version.ToString(); ps = $PSVersionTable.PSVersion.ToString() } | ConvertTo-Json -Compress))",
      'exit $r.FailedCount',
    ].join('; ');
    const r = await run(pwsh!, ['-NoProfile', '-NonInteractive', '-Command', script], { BUNDLE_DIR: bundleDir, NO_COLOR: '1' }, 240_000);
    const line = /PESTER-RESULT (\{.*\})/.exec(r.stdout)?.[1];
    assert.ok(line, `Pester reported a result:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
    const result = JSON.parse(line) as { passed: number; failed: number; total: number; skipped: number; version: string; ps: string };
    t.diagnostic(
      `Pester ${result.version} on PowerShell ${result.ps}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped of ${result.total}`,
    );
    assert.equal(
      result.failed,
      0,
      r.stdout
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .filter((l) => /\[-\]|Expected|Exception/.test(l))
        .join('\n'),
    );
    assert.ok(result.passed >= 14, `${result.passed} Pester tests passed`);
    assert.equal(r.code, 0);
    ran = true;
  });

  test("the collector's bundles give the verdicts of hand-made bundles with the same facts", async (t) => {
    if (!needPowerShell(t)) return;
    assert.ok(ran, 'the Pester run wrote the bundles');
    const verdicts = async (local: string, partner: string, extra: string[]) => {
      const r = await runCli([
        '127.0.0.2',
        '--local-source',
        `windows-json:${local}`,
        '--partner-source',
        `windows-json:${partner}`,
        '--only',
        'version,permissions,relationships,service,scopes,authorization,static-address,peers,replication,dns-updates',
        '--format',
        'json',
        ...extra,
      ]);
      assert.ok(r.code === 0 || r.code === 1 || r.code === 3, r.stderr);
      const report = ReportSchema.parse(JSON.parse(r.stdout));
      return report.checks.map((c) => ({
        id: c.id,
        status: c.status,
        code: c.code,
        message: c.message.replaceAll(local, 'LOCAL').replaceAll(partner, 'PARTNER'),
      }));
    };
    for (const extra of [[], ['--relationship-name', 'dhcp2-dhcp3']]) {
      const collected = await verdicts(join(bundleDir, 'DHCP1.json'), join(bundleDir, 'DHCP2.json'), extra);
      const handMade = await verdicts(fixturePath('windows/collector/dhcp1.json'), fixturePath('windows/collector/dhcp2.json'), extra);
      assert.deepEqual(collected, handMade);
      const byId = new Map(collected.map((c) => [c.id, c]));
      assert.equal(byId.get('replication')!.code, 'replication.missing-on-partner');
      assert.equal(byId.get('dns-updates')!.code, 'dns-updates.different-credentials');
      assert.equal(byId.get('permissions')!.code, 'permissions.group-membership-not-known');
      assert.equal(byId.get('peers')!.status, extra.length > 0 ? 'fail' : 'warn');
    }
    // The collected bundle is UTF-8 without a BOM, its non-ASCII scope name intact.
    const bytes = readFileSync(join(bundleDir, 'DHCP1.json'));
    assert.equal(bytes[0], '{'.charCodeAt(0));
    assert.match(bytes.toString('utf8'), /Büro 10/);
  });

  test('cleanup', () => {
    rmSync(bundleDir, { recursive: true, force: true });
  });
});
