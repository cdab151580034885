import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/cli.js';

// The README's worked runs, run as the README shows them: each `$ dhcp-failover-check ...` line
// on the files in examples/, from the package root, must end with the exit code the README's
// output shows and the same verdict (READY or NOT READY, and which checks failed). Loopback
// partners only, nothing to start: reachability and time answer whatever this machine answers,
// which changes warnings and unknowns but never a documented failure or an exit code of 0/1.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The output the README shows under `$ <command>`, up to the end of its code block. */
function shown(command: string): string {
  const at = README.indexOf(`\n$ ${command}\n`);
  assert.ok(at !== -1, `the README shows a run of: ${command}`);
  const start = at + command.length + 4;
  return README.slice(start, README.indexOf('\n```', start));
}

/** "READY" or "NOT READY: <failed checks>" from a human report's verdict line. */
function verdict(text: string): string {
  const line = text.split('\n').find((l) => /^(NOT )?READY\b/.test(l));
  assert.ok(line, `a verdict line in:\n${text}`);
  if (line.startsWith('READY')) return 'READY';
  return `NOT READY: ${/ (\d+ failed: [^;]+)/.exec(line)?.[1] ?? 'nothing failed'}`;
}

interface Example {
  command: string;
  exit: number;
  verdict?: string;
  /** Statuses from `--format json` (for a plan: its pairings' exit codes). */
  statuses?: Record<string, string>;
  pairingExits?: number[];
}

const EXAMPLES: Example[] = [
  {
    command: 'dhcp-failover-check 127.0.0.2 --local-source windows-json:examples/local.json --partner-source windows-json:examples/partner.json',
    exit: 1,
    verdict: 'NOT READY: 2 failed: permissions, scopes',
    statuses: {
      dns: 'pass',
      version: 'pass',
      permissions: 'fail',
      relationships: 'pass',
      service: 'pass',
      scopes: 'fail',
      authorization: 'pass',
      peers: 'skip',
    },
  },
  {
    command:
      'dhcp-failover-check 127.0.0.3 --local-source inventory:examples/inventory/hub.yaml --partner-source windows-export:examples/windows-export/branch2.xml --scope 10.2.10.0/24 --skip time',
    exit: 1,
    verdict: 'NOT READY: 1 failed: scopes',
    statuses: { version: 'pass', permissions: 'unknown', relationships: 'unknown', service: 'unknown', scopes: 'fail', time: 'skip' },
  },
  {
    command:
      'dhcp-failover-check 127.0.0.2 --local-source inventory:examples/inventory/hub.yaml --partner-source inventory:examples/inventory/branch1.yaml --scope 10.1.10.0/24 --skip time',
    exit: 0,
    verdict: 'READY',
    statuses: {
      version: 'pass',
      permissions: 'pass',
      relationships: 'pass',
      service: 'pass',
      scopes: 'pass',
      authorization: 'pass',
      'static-address': 'pass',
      time: 'skip',
    },
  },
  {
    command:
      'dhcp-failover-check 127.0.0.2 --local-source kea-config:examples/kea/dhcp1-kea-dhcp4.conf --partner-source kea-config:examples/kea/dhcp2-kea-dhcp4.conf',
    exit: 0,
    verdict: 'READY',
    statuses: {
      version: 'skip',
      permissions: 'skip',
      service: 'skip',
      reachability: 'skip',
      relationships: 'pass',
      scopes: 'pass',
      peers: 'pass',
      identity: 'pass',
    },
  },
  {
    command:
      'dhcp-failover-check 127.0.0.2 --local-source kea-config:examples/kea/dhcp1-kea-dhcp4.conf --partner-source kea-config:examples/kea/dhcp2-kea-dhcp4.conf --only relationships,scopes,peers',
    exit: 0,
    verdict: 'READY',
    statuses: { relationships: 'pass', scopes: 'pass', peers: 'pass', version: 'skip' },
  },
  {
    command: 'dhcp-failover-check 127.0.0.2 --local-source dhcpd:examples/dhcpd/dhcp1-dhcpd.conf --partner-source dhcpd:examples/dhcpd/dhcp2-dhcpd.conf',
    exit: 1,
    verdict: 'NOT READY: 1 failed: scopes',
    statuses: { relationships: 'pass', scopes: 'fail', peers: 'pass', service: 'skip', identity: 'pass' },
  },
  { command: 'dhcp-failover-check plan examples/plan/branches.yaml', exit: 1, pairingExits: [0, 1] },
  { command: 'dhcp-failover-check --config examples/config.json --format nagios', exit: 2 },
];

describe("the README's worked runs on examples/", () => {
  test('every file a worked run names ships in examples/', () => {
    for (const e of EXAMPLES) for (const file of e.command.match(/examples\/[\w./-]+/g) ?? []) assert.ok(existsSync(join(ROOT, file)), file);
  });

  for (const e of EXAMPLES) {
    test(e.command.replace('dhcp-failover-check ', ''), async () => {
      const output = shown(e.command);
      const args = e.command.split(' ').slice(1);
      const r = await run(args);
      assert.equal(r.code, e.exit, `exit code (stderr: ${r.stderr})`);
      if (args.includes('nagios')) {
        assert.match(output, /^DHCP FAILOVER CRITICAL - /);
        assert.match(r.stdout, /^DHCP FAILOVER CRITICAL - 127\.0\.0\.2: failed: permissions, scopes[;| ]/);
        return;
      }
      assert.ok(output.trimEnd().endsWith(`— exit code ${e.exit}`), `the README shows exit code ${e.exit}`);
      assert.ok(r.stdout.trimEnd().endsWith(`— exit code ${e.exit}`), r.stdout);
      if (e.verdict) {
        assert.equal(verdict(output), e.verdict, 'the README shows this verdict');
        assert.equal(verdict(r.stdout), e.verdict, r.stdout);
      }
      const json = await run([...args, '--format', 'json']);
      assert.equal(json.code, e.exit);
      const report = JSON.parse(json.stdout) as { exitCode: number; checks?: { id: string; status: string }[]; pairings?: { exitCode: number }[] };
      assert.equal(report.exitCode, e.exit);
      if (e.statuses) {
        const status = Object.fromEntries(report.checks!.map((c) => [c.id, c.status]));
        for (const [id, expected] of Object.entries(e.statuses)) assert.equal(status[id], expected, id);
      }
      if (e.pairingExits)
        assert.deepEqual(
          report.pairings!.map((p) => p.exitCode),
          e.pairingExits,
        );
    });
  }
});
