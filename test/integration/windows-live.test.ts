import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/context.js';
import { PWSH_INSTALL, findPwsh } from '../helpers/pwsh.js';
import { ReportSchema } from '../../src/report/schema.js';

// windows:<host>, the live source: the shipped collector run with -ComputerName. Here its
// PowerShell is pwsh with the mocked cmdlets (test/pester/pwsh-with-fakes.sh stands in for
// powershell.exe); no real Windows server is involved.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pwsh = findPwsh();
const WRAPPER = join(ROOT, 'test/pester/pwsh-with-fakes.sh');
const CHECKS = 'version,permissions,relationships,service,scopes,authorization,static-address,peers,replication,dns-updates';

async function report(local: string, partner: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const r = await runCli(['127.0.0.2', '--local-source', local, '--partner-source', partner, '--only', CHECKS, '--format', 'json', ...extra], {
    env,
    timeoutMs: 120_000,
  });
  assert.ok(r.code === 0 || r.code === 1 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
  return { stdout: r.stdout, checks: ReportSchema.parse(JSON.parse(r.stdout)).checks };
}

describe('windows:<host> (the collector run live, over mocked cmdlets)', { concurrency: false }, () => {
  const env = { DHCP_FAILOVER_CHECK_POWERSHELL: WRAPPER, PWSH: pwsh ?? 'pwsh', USERDOMAIN: 'CORP', USERNAME: 'alice' };

  test('gives the verdicts of the hand-made bundles with the same facts', async (t) => {
    if (!pwsh) {
      if (process.env['CI'] === 'true') assert.fail(`pwsh is missing (CI=true): ${PWSH_INSTALL}`);
      return t.skip(`pwsh is missing: ${PWSH_INSTALL}`);
    }
    const live = await report('windows:dhcp1', 'windows:dhcp2', env, ['--timeout', '60s', '--relationship-name', 'dhcp2-dhcp3']);
    const files = await report(
      `windows-json:${fixturePath('windows/collector/dhcp1.json')}`,
      `windows-json:${fixturePath('windows/collector/dhcp2.json')}`,
      {},
      ['--relationship-name', 'dhcp2-dhcp3'],
    );
    const brief = (cs: typeof live.checks) => cs.map((c) => `${c.id} ${c.status} ${c.code}`);
    assert.deepEqual(brief(live.checks), brief(files.checks));
    assert.ok(live.checks.some((c) => c.code === 'replication.missing-on-partner'));
  });

  test("a server the collector cannot read is unknown, with the collector's note as the cause", async (t) => {
    if (!pwsh) return t.skip(`pwsh is missing: ${PWSH_INSTALL}`);
    const r = await report('windows:dhcp1', 'windows:dhcp9', env, ['--timeout', '60s']);
    assert.equal(r.checks.find((c) => c.id === 'service')!.status, 'unknown');
    assert.match(
      r.stdout,
      /windows:dhcp9: Version: expected the Get-DhcpServerVersion output \(required\), got nothing; the collector noted: .*Version: not collected: Failed to get version of the DHCP server dhcp9\./,
    );
  });

  test("is bounded by --timeout, and a failing PowerShell's stderr is one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-live-'));
    try {
      const slow = join(dir, 'slow.sh');
      writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
      const failing = join(dir, 'failing.sh');
      writeFileSync(
        failing,
        "#!/bin/sh\nprintf 'Get-DhcpServerVersion : Failed to get version of the DHCP server dhcp2.\\n    + CategoryInfo : NotSpecified\\n    + FullyQualifiedErrorId : WIN32 1722\\n' >&2\nexit 1\n",
      );
      chmodSync(slow, 0o755);
      chmodSync(failing, 0o755);
      const started = Date.now();
      const timedOut = await report('windows:dhcp1', 'windows:dhcp2', { DHCP_FAILOVER_CHECK_POWERSHELL: slow }, ['--timeout', '1s']);
      assert.ok(Date.now() - started < 20_000, 'the sleeping PowerShell was stopped');
      assert.match(timedOut.stdout, /windows:dhcp2: the collector did not finish within 1 s \(--timeout\)/);
      const failed = await report('windows:dhcp1', 'windows:dhcp2', { DHCP_FAILOVER_CHECK_POWERSHELL: failing }, ['--timeout', '5s']);
      assert.match(
        failed.stdout,
        /windows:dhcp2: the collector failed \(exit 1\): Get-DhcpServerVersion : Failed to get version of the DHCP server dhcp2\. \+ CategoryInfo : NotSpecified \+ FullyQualifiedErrorId : WIN32 1722"/,
      );
      const missing = await report('windows:dhcp1', 'windows:dhcp2', { DHCP_FAILOVER_CHECK_POWERSHELL: join(dir, 'nowhere') }, ['--timeout', '5s']);
      assert.match(missing.stdout, /cannot start .*nowhere \(not found: the windows: source needs Windows PowerShell or pwsh\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a host that is not a plain name is refused before anything runs', async () => {
    const r = await runCli(['127.0.0.2', '--partner-source', 'windows:dhcp2;rm -rf x', '--only', 'version']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--partner-source: "dhcp2;rm -rf x" is not a host name or IPv4 address/);
  });
});
