import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/context.js';
import { ReportSchema } from '../../src/report/schema.js';

// The windows-json keys NetIPAddress and ExclusionRanges, through the built CLI as an admin runs it.

const SCOPES =
  'Following scopes already exist on the specified partner server. These scope(s) will need to be deleted on the partner server before configuring failover.';
const bundle = (name: string) => `windows-json:${fixturePath(`windows/${name}`)}`;

async function run(args: string[]) {
  const r = await runCli(['127.0.0.2', ...args, '--format', 'json']);
  const report = ReportSchema.parse(JSON.parse(r.stdout));
  return { code: r.code, stderr: r.stderr, check: (id: string) => report.checks.find((c) => c.id === id)! };
}

describe('windows-json bundles through the CLI', () => {
  test('static-address warns naming the leased partner address (PrefixOrigin 3), not its link-local one', async () => {
    const r = await run(['--only', 'static-address', '--local-source', bundle('addresses-manual.json'), '--partner-source', bundle('addresses-dhcp.json')]);
    assert.equal(r.code, 0, r.stderr);
    const c = r.check('static-address');
    assert.equal(c.status, 'warn');
    assert.equal(c.code, 'static-address.dhcp-leased');
    assert.equal(c.message, "DHCP servers should be configured with static IP addresses. The partner server's 10.0.0.2 (Ethernet) was leased by DHCP.");
    assert.match(c.fix ?? '', /^Give it a static address: Set-NetIPInterface .*deleting and recreating its failover relationships\.$/);
  });

  test('static-address passes when every server address is Manual (names), and skips without NetIPAddress', async () => {
    const pass = await run([
      '--only',
      'static-address',
      '--local-source',
      bundle('addresses-manual.json'),
      '--partner-source',
      bundle('addresses-manual.json'),
    ]);
    assert.equal(pass.code, 0, pass.stderr);
    assert.equal(pass.check('static-address').status, 'pass');
    assert.equal(pass.check('static-address').message, "the local and partner servers' addresses are static");
    const skip = await run(['--only', 'static-address', '--local-source', bundle('split-local.json'), '--partner-source', bundle('split-partner.json')]);
    assert.equal(skip.check('static-address').code, 'static-address.not-known');
  });

  test('scopes fails with the documented message; the 80/20 split scope says so with the way out, the ordinary exclusion does not', async () => {
    const r = await run(['--only', 'scopes', '--local-source', bundle('split-local.json'), '--partner-source', bundle('split-partner.json')]);
    assert.equal(r.code, 1, r.stderr);
    const c = r.check('scopes');
    assert.equal(c.status, 'fail');
    assert.deepEqual(c.message.split('\n'), [
      SCOPES,
      '  10.0.50.0 mask 255.255.255.0, range 10.0.50.10-10.0.50.250 "Clients 50": exists on the partner: a split-scope pair (each server excludes the addresses the other hands out); ' +
        'remove the scope from the partner after its leases expire or are merged, then configure failover from the primary',
      '  10.0.60.0 mask 255.255.255.0, range 10.0.60.10-10.0.60.250 "Clients 60": exists on the partner',
    ]);
    assert.deepEqual(c.details.windowsError, { code: 20004, name: 'ERROR_DHCP_SUBNET_EXISTS' });
  });

  test('the same scopes without the split pass once left out, and a split scope alone is one line', async () => {
    const r = await run([
      '--only',
      'scopes',
      '--scope',
      '10.0.50.0/24',
      '--local-source',
      bundle('split-local.json'),
      '--partner-source',
      bundle('split-partner.json'),
    ]);
    assert.equal(r.code, 1);
    const lines = r.check('scopes').message.split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /split-scope pair/);
  });
});

describe('the human report of the shipped example (npm start)', () => {
  test('a verdict block at the end, each fix once, no line printed twice', async () => {
    const r = await runCli(['--config', fixturePath('../../examples/config.json'), '--timeout', '1s'], { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const at = lines.findIndex((l) => l.startsWith('NOT READY'));
    assert.ok(at > 0, r.stdout);
    assert.match(lines[at]!, /^NOT READY {2}2 failed: permissions, scopes/);
    assert.match(lines.at(-1)!, /— exit code 1$/);
    const numbered = lines.slice(at + 1, -1);
    assert.ok(numbered.length >= 2 && numbered.every((l, i) => l.startsWith(`  ${i + 1}. `)), numbered.join('\n'));
    const seen = new Set<string>();
    for (const l of lines.filter((x) => x.trim() !== '')) {
      assert.ok(!seen.has(l), `printed twice: ${l}`);
      seen.add(l);
    }
    assert.doesNotMatch(r.stdout, /: 0$|: \[\]$|: \{\}$/m, 'no zero or empty fields');
    assert.ok(r.stdout.includes('Add-DhcpServerv4Failover would fail with 20121 ERROR_DHCP_NO_ADMIN_PERMISSION'));
  });
});
