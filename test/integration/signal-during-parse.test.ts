import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';
import { bytesRead, writeBigDhcpdConf, writeBigKeaConfigWithIncludes, writeBigWindowsExport } from '../helpers/hostile-files.js';

// Issue 23 item 4: SIGINT and SIGTERM end the run within a second in every phase, parsing
// included. Each slow parse path gets a large valid file (at or near its cap); the CLI is
// signalled once it has read the file (its /proc/<pid>/io rchar has passed the file's size, or
// part of it for a streamed file), and must end with 143 (130), one line saying so, and no partial
// or temporary --output file. Each path is first shown to still be parsing well past the bound
// when nobody signals it, otherwise the timing would prove nothing.

const BOUND_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the process has read `bytes` (or is gone); polls every 10 ms. */
async function untilRead(pid: () => number, bytes: number): Promise<void> {
  for (const end = performance.now() + 20_000; performance.now() < end; await sleep(10)) {
    if (pid() === 0) continue;
    const read = bytesRead(pid());
    if (read === undefined || read >= bytes) return;
  }
}

interface Case {
  name: string;
  source: string;
  /** What must have been read before the signal: the whole file, or (streamed) a part of it. */
  readBefore: number;
}

describe('a signal during a long parse ends the run (issue 23 item 4)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-signal-parse-'));
  const cases: Case[] = [];
  before(() => {
    const dhcpd = join(dir, 'big-dhcpd.conf');
    writeBigDhcpdConf(dhcpd);
    // Three included fragments of 15 MiB: one 16 MiB file parsed (both sides) within 3 s on a
    // quiet machine, and the unsignalled run must outlast the bound by far.
    const kea = join(dir, 'big-kea.conf');
    const keaSizes = writeBigKeaConfigWithIncludes(kea);
    const xml = join(dir, 'big-export.xml');
    writeBigWindowsExport(xml, 120e6);
    cases.push(
      { name: 'dhcpd.conf (75 000 subnets, 11 MB)', source: `dhcpd:${dhcpd}`, readBefore: statSync(dhcpd).size },
      { name: 'kea-config (3 × 15 MiB included)', source: `kea-config:${kea}`, readBefore: keaSizes.main + keaSizes.part },
      { name: 'windows-export (120 MB, streamed)', source: `windows-export:${xml}`, readBefore: 20e6 },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A config or plan file is read before the run installs its handler: until then SIGTERM has
  // its default action and ends the process at once (a shell sees 143), whatever it is parsing.
  test('a 16 MiB JSON plan: SIGTERM while it is parsed ends the process at once, no --output file', async () => {
    const plan = join(dir, 'big-plan.json');
    // 10 000 pairings (the schema's most) and as many servers as 15 MiB of JSON holds.
    const servers: Record<string, { address: string; source: string }> = {};
    const pairings = Array.from({ length: 10_000 }, (_, i) => ({ local: `s${i}`, partner: `s${i + 1}` }));
    for (let i = 0, size = JSON.stringify(pairings).length; size < 15 * 1024 * 1024; i++) {
      const server = { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, source: `inventory:inv/s${i}.yaml` };
      servers[`s${i}`] = server;
      size += JSON.stringify(server).length + `"s${i}":,`.length;
    }
    writeFileSync(plan, JSON.stringify({ servers, pairings }));
    const outDir = mkdtempSync(join(dir, 'out-'));
    let pid = 0;
    const running = runCli(['plan', plan, '--format', 'json', '--output', `json=${join(outDir, 'report.json')}`], {
      onSpawn: (p) => (pid = p),
      timeoutMs: 120_000,
    });
    await untilRead(() => pid, statSync(plan).size);
    const signalledAt = performance.now();
    process.kill(pid, 'SIGTERM');
    const run = await running;
    const tookMs = performance.now() - signalledAt;
    assert.ok(run.signal === 'SIGTERM' || run.code === 143, `exit ${run.code} (${run.signal}): ${run.stderr}`);
    assert.ok(tookMs < BOUND_MS, `ended ${tookMs.toFixed(0)} ms after SIGTERM`);
    assert.deepEqual(readdirSync(outDir), []);
  });

  const args = (c: Case, output: string) => [
    '127.0.0.2',
    '--local-source',
    c.source,
    '--partner-source',
    c.source,
    '--timeout',
    '1s',
    '--format',
    'human',
    '--output',
    `json=${output}`,
  ];

  for (const [index, name] of ['dhcpd.conf', 'kea-config', 'windows-export'].entries()) {
    test(`${name}: still parsing ${BOUND_MS} ms after it read the file when nobody signals it`, async () => {
      const c = cases[index]!;
      let pid = 0;
      const running = runCli(args(c, join(dir, `unsignalled-${index}.json`)), { onSpawn: (p) => (pid = p), timeoutMs: 120_000 });
      await untilRead(() => pid, c.readBefore);
      const readAt = performance.now();
      await sleep(BOUND_MS);
      const alive = bytesRead(pid) !== undefined;
      process.kill(pid, 'SIGKILL');
      const run = await running;
      assert.ok(
        alive,
        `${c.name}: ended within ${(performance.now() - readAt).toFixed(0)} ms unsignalled (exit ${run.code}): the signal test proves nothing; ${run.stderr}`,
      );
    });

    for (const [signal, code] of index === 0
      ? ([
          ['SIGTERM', 143],
          ['SIGINT', 130],
        ] as const)
      : ([['SIGTERM', 143]] as const)) {
      test(`${name}: ${signal} while parsing ends the run with ${code}, one line, no partial --output`, async () => {
        const c = cases[index]!;
        const outDir = mkdtempSync(join(dir, 'out-'));
        const output = join(outDir, 'report.json');
        let pid = 0;
        const running = runCli(args(c, output), { onSpawn: (p) => (pid = p), timeoutMs: 120_000 });
        await untilRead(() => pid, c.readBefore);
        const signalledAt = performance.now();
        process.kill(pid, signal);
        const run: CliRun = await running;
        const tookMs = performance.now() - signalledAt;
        assert.equal(run.code, code, `exit ${run.code} (${run.signal}): ${run.stderr}`);
        assert.ok(tookMs < BOUND_MS, `${c.name}: ended ${tookMs.toFixed(0)} ms after ${signal}`);
        const said = run.stderr.split('\n').filter((l) => l.includes('interrupted by'));
        assert.deepEqual(said, [`dhcp-failover-check: interrupted by ${signal}; what finished is reported`], run.stderr);
        assert.doesNotMatch(run.stderr, /internal error/);
        // Written whole (temp file renamed over it) or not at all; never a partial file or a temp file beside it.
        assert.deepEqual(
          readdirSync(outDir).filter((f) => f !== 'report.json'),
          [],
        );
        if (existsSync(output)) assert.equal((JSON.parse(readFileSync(output, 'utf8')) as { exitCode: number }).exitCode, code);
      });
    }
  }
});
