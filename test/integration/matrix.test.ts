import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preflight } from '../../src/preflight.js';
import { startFakeNtp, reply } from '../helpers/fake-ntp.js';
import { EXPECTED_CHECKS, expected, fileFor, keaVersionOf, rowName, rows, type Row } from '../helpers/matrix.js';

// Issue 18's matrix: every platform pair × source kind × phase from one table (helpers/matrix.ts),
// files generated from it, each row judged against its documented verdict per check and exit code.

const EXAMPLES = (() => {
  for (let up = '../../'; up.length < 20; up += '../') {
    const dir = fileURLToPath(new URL(`${up}examples`, import.meta.url));
    if (existsSync(join(dir, 'kea'))) return dir;
  }
  throw new Error('examples/ not found');
})();

test('the matrix: platforms × source kinds × phase, each row with its expected verdicts and exit code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
  const ntp = await startFakeNtp((req) => [reply(req)]);
  try {
    const all = rows();
    const written = new Map<string, string>();
    const pathOf = (role: 'local' | 'partner', row: Row) => {
      const f = fileFor(role, row[role], row[role === 'local' ? 'partner' : 'local'], EXAMPLES);
      const path = join(dir, f.name);
      if (!written.has(path)) writeFileSync(path, f.text);
      written.set(path, f.name);
      return path;
    };
    const problems: string[] = [];
    const counts = { rows: all.length, exit: new Map<number, number>(), unexpected: 0, noExpectation: 0 };
    const runRow = async (row: Row) => {
      const want = expected(row);
      if (!want) {
        counts.noExpectation++;
        problems.push(`${rowName(row)}: no expectation in the table`);
        return;
      }
      const kv = keaVersionOf(row);
      const report = await preflight({
        partner: '127.0.0.2',
        localSource: `${row.local.kind}:${pathOf('local', row)}`,
        partnerSource: `${row.partner.kind}:${pathOf('partner', row)}`,
        partnerNtp: `127.0.0.1:${ntp.port}`,
        timeout: '2s',
        ...(row.phase === 'live' ? { phase: 'live' } : {}),
        ...(kv ? { keaVersion: kv } : {}),
      });
      counts.exit.set(report.exitCode, (counts.exit.get(report.exitCode) ?? 0) + 1);
      const got = Object.fromEntries(report.checks.map((c) => [c.id, c]));
      const wrong: string[] = [];
      for (const id of EXPECTED_CHECKS) {
        const w = want.checks[id];
        if (w !== undefined && got[id]!.status !== w) wrong.push(`${id} ${got[id]!.status} (${got[id]!.code}), expected ${w}`);
      }
      if (report.exitCode !== want.exitCode) {
        const why = report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => c.code);
        wrong.push(`exit ${report.exitCode}, expected ${want.exitCode} (${why.join(', ')})`);
      }
      if (wrong.length > 0) {
        counts.unexpected++;
        problems.push(`${rowName(row)}: ${wrong.join('; ')}`);
      }
    };
    // A few rows at a time: each waits on loopback sockets, not on the CPU.
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < all.length) await runRow(all[next++]!);
      }),
    );
    const byExit = [...counts.exit]
      .sort((a, b) => a[0] - b[0])
      .map(([code, n]) => `exit ${code}: ${n}`)
      .join(', ');
    t.diagnostic(
      `matrix: ${counts.rows} rows (${new Set(written.values()).size} generated files); ${byExit}; ${counts.unexpected} unexpected; ${counts.noExpectation} without expectation`,
    );
    assert.deepEqual(problems, []);
  } finally {
    await ntp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Live rows: the real Kea HA pair the Kea tests start (Debian's Kea), asked over its agents.
test('the matrix, live rows: a running Kea pair as kea: sources, beside its own kea-config files', async (t) => {
  const { startKeaPair } = await import('../helpers/kea.js');
  const pair = await startKeaPair('configured');
  const saved = process.env.KEA_PASSWORD;
  process.env.KEA_PASSWORD = pair.credentials.password;
  try {
    // Live rows judge a pair that is operating: both servers in hot-standby (peers reads the live HA state).
    await Promise.all([pair.waitForHaState('local', 'hot-standby', 30_000), pair.waitForHaState('partner', 'hot-standby', 30_000)]);
    const rowsLive: { name: string; local: string; phase?: 'live'; checks: Record<string, string>; exitCode: number }[] = [
      {
        name: 'kea/kea + kea/kea, phase from the sources (live)',
        local: `kea:${pair.local.url}`,
        checks: { version: 'pass', service: 'pass', permissions: 'pass', identity: 'pass', peers: 'pass' },
        exitCode: 0,
      },
      {
        name: 'kea/kea + kea/kea, --phase live',
        local: `kea:${pair.local.url}`,
        phase: 'live',
        checks: { version: 'pass', service: 'pass', permissions: 'pass', identity: 'pass', peers: 'pass' },
        exitCode: 0,
      },
      // The local server's running file: the pair is live on the partner's side, the local is read from its file.
      // A file does not tell where its agent listens: peers warns that the partner's agent is loopback-only.
      {
        name: 'kea/kea-config + kea/kea, phase from the sources',
        local: `kea-config:${join(pair.local.dir, 'dhcp4.json')}`,
        checks: { version: 'pass', service: 'pass', permissions: 'pass', identity: 'pass', peers: 'warn' },
        exitCode: 0,
      },
    ];
    const problems: string[] = [];
    for (const row of rowsLive) {
      const report = await preflight({
        partner: '127.0.0.2',
        localSource: row.local,
        partnerSource: `kea:${pair.partner.url}`,
        kea: { user: pair.credentials.user },
        timeout: '3s',
        ...(row.phase ? { phase: row.phase } : {}),
      });
      const got = Object.fromEntries(report.checks.map((c) => [c.id, c]));
      const wrong = Object.entries(row.checks)
        .filter(([id, s]) => got[id]!.status !== s)
        .map(([id, s]) => `${id} ${got[id]!.status} (${got[id]!.code}: ${got[id]!.message}), expected ${s}`);
      if (report.exitCode !== row.exitCode)
        wrong.push(
          `exit ${report.exitCode}, expected ${row.exitCode} (${report.checks
            .filter((c) => c.status === 'fail' || c.status === 'unknown')
            .map((c) => c.code)
            .join(', ')})`,
        );
      if (wrong.length > 0) problems.push(`${row.name}: ${wrong.join('; ')}`);
    }
    t.diagnostic(`matrix, live rows: ${rowsLive.length} (Kea ${'2.2'} HA pair on loopback)`);
    assert.deepEqual(problems, []);
  } finally {
    if (saved === undefined) delete process.env.KEA_PASSWORD;
    else process.env.KEA_PASSWORD = saved;
    await pair.stop();
  }
});
