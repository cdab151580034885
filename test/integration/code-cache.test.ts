import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { BIN } from '../helpers/cli.js';

// bin/code-cache.cjs compiles the bundle's chunks with the V8 code cache the build wrote beside
// them. These tests hold what makes that safe: the build's caches are the ones V8 takes, and a
// cache that does not fit (missing, cut short, made by other flags) only costs the compile: the
// run, its report and its exit code stay the same.

const ROOT = dirname(dirname(BIN));
const ARGS = [
  '127.0.0.2',
  '--local-source',
  `windows-json:${join(ROOT, 'examples/local.json')}`,
  '--partner-source',
  `windows-json:${join(ROOT, 'examples/partner.json')}`,
  '--timeout',
  '2s',
  '--skip',
  'time',
  '--format',
  'json',
];

/** Runs `bin` of a checkout (or a copy) with the code cache observed: each chunk's name and whether V8 rejected its cache. */
function observedRun(root: string, nodeFlags: string[] = []): { code: number; report: unknown; chunks: Record<string, boolean | 'none'> } {
  const probe = `
    const { useCodeCache } = require(${JSON.stringify(join(root, 'bin/code-cache.cjs'))});
    const { existsSync } = require('node:fs');
    const seen = {};
    useCodeCache(${JSON.stringify(join(root, 'dist/bundle'))}, (f, s) => { seen[require('node:path').basename(f)] = existsSync(f + '.v8') ? s.cachedDataRejected : 'none'; });
    process.argv.splice(1, 0, ${JSON.stringify(join(root, 'bin/dhcp-failover-check.cjs'))});
    process.on('exit', (code) => process.stderr.write('\\n@@' + JSON.stringify({ code, seen }) + '\\n'));
    require(${JSON.stringify(join(root, 'bin/dhcp-failover-check.cjs'))});
  `;
  let stdout = '';
  let stderr = '';
  try {
    stdout = execFileSync(process.execPath, [...nodeFlags, '-e', probe, '--', ...ARGS], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { stdout: string; stderr: string };
    stdout = e.stdout;
    stderr = e.stderr;
  }
  const line = stderr.split('\n').find((l) => l.startsWith('@@'));
  assert.ok(line, `no exit line from the run: ${stderr.slice(0, 500)}`);
  const { code, seen } = JSON.parse(line.slice(2)) as { code: number; seen: Record<string, boolean | 'none'> };
  return { code, report: stable(JSON.parse(stdout)), chunks: seen };
}

/** The report without what changes from run to run (timings, the start time). */
function stable(report: unknown): unknown {
  return JSON.parse(JSON.stringify(report), (key, value) => (key === 'durationMs' || key === 'startedAt' ? undefined : value));
}

describe('the V8 code cache of the bundle', () => {
  let copy: string;
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'dfc-code-cache-'));
    cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist/bundle'), join(copy, 'dist/bundle'), { recursive: true });
    symlinkSync(join(ROOT, 'examples'), join(copy, 'examples'));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  test('the build wrote a cache for every chunk a plain run loads, and V8 takes each one', () => {
    const run = observedRun(ROOT);
    assert.equal(run.code, 1, 'the examples fail permissions and scopes');
    const chunks = Object.entries(run.chunks);
    // cli, core and the Windows bundle reader (scripts/bundle.mjs chooses them).
    assert.ok(chunks.length >= 3, `only ${chunks.length} chunks were loaded`);
    for (const [chunk, rejected] of chunks) assert.equal(rejected, false, `${chunk}: ${rejected === 'none' ? 'no cache' : 'cache rejected'}`);
  });

  test('caches cut short, missing, or made under other V8 flags: compiled as usual, the same report', () => {
    const reference = observedRun(ROOT);
    const chunkDir = join(copy, 'dist/bundle/chunks');
    const caches = readdirSync(chunkDir).filter((f) => f.endsWith('.v8'));
    const loaded = caches.filter((f) => basename(f, '.v8') in reference.chunks);
    assert.ok(loaded.length >= 3, `${loaded.length} cached chunks loaded`);
    // One cut to half its length, one to nothing, one removed; the rest stay whole.
    const [half, empty, gone] = loaded as [string, string, string];
    truncateSync(join(chunkDir, half), Math.floor(readFileSync(join(chunkDir, half)).length / 2));
    writeFileSync(join(chunkDir, empty), '');
    rmSync(join(chunkDir, gone));
    const damaged = observedRun(copy);
    assert.equal(damaged.code, reference.code);
    assert.deepEqual(damaged.report, reference.report);
    assert.equal(damaged.chunks[basename(half, '.v8')], true, 'a cache cut short is rejected');
    assert.equal(damaged.chunks[basename(empty, '.v8')], true, 'an empty cache is rejected');
    assert.equal(damaged.chunks[basename(gone, '.v8')], 'none');
    // Other flags than the build's: V8 rejects every cache, and the run is still the same.
    const flagged = observedRun(copy, ['--no-opt']);
    assert.deepEqual(flagged.report, reference.report);
    assert.ok(
      Object.values(flagged.chunks).every((r) => r !== false),
      'no cache is taken under other flags',
    );
  });

  test('only chunks are cached: an entry file (no content hash in its name) never is', () => {
    const bundle = join(ROOT, 'dist/bundle');
    assert.deepEqual(
      readdirSync(bundle).filter((f) => f.endsWith('.v8')),
      [],
    );
    assert.ok(existsSync(join(bundle, 'cli.cjs')));
    for (const f of readdirSync(join(bundle, 'chunks')).filter((n) => n.endsWith('.v8'))) {
      assert.match(f, /-[\w-]{8}\.cjs\.v8$/, `${f}: a cache for a file whose name carries no content hash`);
    }
  });
});
