import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package as users get it: a tarball made from a clean clone (what `npm publish` would
// upload), installed into an empty prefix, run as the installed command; and the library
// imported from a separate project that installed the same tarball. Dependencies come from
// npm's cache (filled by `npm ci`), so this needs the registry only when the cache lacks them.

const ROOT = (() => {
  for (let up = '../'; up.length < 16; up += '../') {
    const candidate = fileURLToPath(new URL(up, import.meta.url));
    try {
      if ((JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as { name?: string }).name === 'dhcp-failover-check') return candidate;
    } catch {
      // not at this level
    }
  }
  throw new Error('package root not found');
})();
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm settings inherited from an `npm test` parent (prefix, global, ...) must not leak in. */
const cleanEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  NO_COLOR: '1',
  CI: 'true',
  npm_config_update_notifier: 'false',
});

function sh(cmd: string, args: string[], cwd: string, timeoutMs: number, env = cleanEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-1_000_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1_000_000)));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  const r = await sh(cmd, args, cwd, timeoutMs);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

describe('the packed tarball, installed as users install it', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-pack-'));
  const clone = join(dir, 'clone');
  const prefix = join(dir, 'prefix');
  let tarball = '';
  let bin = '';
  let pkgDir = '';

  before(async () => {
    await ok('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], dir, 60_000);
    // No scripts: a clean clone has no dist/, and only `npm pack` (prepack) may build it.
    await ok('npm', ['ci', '--ignore-scripts', ...NPM_FLAGS], clone, 180_000);
    assert.equal(existsSync(join(clone, 'dist')), false, 'the clone starts without dist/');
    const packed = await ok('npm', ['pack', '--silent', '--pack-destination', dir], clone, 120_000);
    tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
    await ok('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball], dir, 120_000);
    bin = join(prefix, 'bin', 'dhcp-failover-check');
    pkgDir = join(prefix, 'lib', 'node_modules', 'dhcp-failover-check');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the tarball holds the bundle, its types, the bundled licences, README and examples, and no tests', async () => {
    const files = (await ok('tar', ['tzf', tarball], dir, 30_000)).stdout.split('\n');
    for (const f of ['package/bin/dhcp-failover-check.cjs', 'package/dist/bundle/cli.cjs', 'package/dist/bundle/index.cjs', 'package/dist/bundle/index.mjs', 'package/dist/bundle/THIRD-PARTY-LICENSES.txt', 'package/dist/src/index.d.ts', 'package/README.md', 'package/examples/config.json', 'package/examples/config.schema.json']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.equal(files.filter((f) => /dist\/(test|bench)\/|\.map$|\.ts$/.test(f) && !f.endsWith('.d.ts')).length, 0, 'no tests, benches, maps or sources');
    // The code ships once, bundled: tsc's per-module output would be a second copy nobody loads.
    assert.deepEqual(files.filter((f) => /^package\/dist\/src\/.*\.js$/.test(f)), [], 'no unbundled modules');
    const licences = (await ok('tar', ['xzOf', tarball, 'package/dist/bundle/THIRD-PARTY-LICENSES.txt'], dir, 30_000)).stdout;
    for (const name of ['commander', 'chalk', 'zod', 'yaml', 'ldapts', 'ping']) assert.match(licences, new RegExp(`^${name}@\\d`, 'm'), `${name}'s licence is shipped`);
  });

  test('--version, --help and `schema report` from the installed command', async () => {
    const version = await sh(bin, ['--version'], dir, 20_000);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `${VERSION}\n`);
    const help = await sh(bin, ['--help'], dir, 20_000);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: dhcp-failover-check/);
    assert.match(help.stdout, /--format nagios/);
    const schema = await sh(bin, ['schema', 'report'], dir, 20_000);
    assert.equal(schema.code, 0, schema.stderr);
    const doc = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    assert.ok('checks' in doc.properties && 'exitCode' in doc.properties);
    assert.equal(schema.stderr, '');
  });

  test('a real run on the shipped examples ends as the README says: permissions and scopes fail, exit 1', async () => {
    const run = await sh(bin, ['--config', join(pkgDir, 'examples', 'config.json'), '--format', 'json'], dir, 60_000);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { exitCode: number; checks: { id: string; status: string }[] };
    assert.equal(report.exitCode, 1);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    assert.equal(status.permissions, 'fail');
    assert.equal(status.scopes, 'fail');
    assert.equal(status.dns, 'pass');
  });

  test('a separate project imports preflight() from the tarball, typed, and gets the JSON report', async () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    await ok('npm', ['install', ...NPM_FLAGS, tarball], app, 120_000);
    const examples = join(app, 'node_modules', 'dhcp-failover-check', 'examples');
    writeFileSync(
      join(app, 'main.ts'),
      [
        "import { preflight, InputError, type PreflightReport } from 'dhcp-failover-check';",
        `const report: PreflightReport = await preflight({ partner: '127.0.0.2', localSource: 'windows-json:${examples}/local.json', partnerSource: 'windows-json:${examples}/partner.json', timeout: '2s' });`,
        'let rejected = "";',
        "try { await preflight({ partner: '127.0.0.2', maxTimeSkw: '1m' } as never); } catch (err) { rejected = err instanceof InputError ? err.message : `not an InputError: ${String(err)}`; }",
        'console.log(JSON.stringify({ exitCode: report.exitCode, checks: report.checks.length, scopes: report.checks.find((c) => c.id === "scopes")?.status, rejected, exitCodeOfProcess: process.exitCode ?? null }));',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'], outDir: 'out' }, files: ['main.ts'] }),
    );
    // The package's types resolve through `exports` (tsc from this checkout; the app has none).
    await ok(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app, 120_000);
    const run = await ok(process.execPath, [join(app, 'out', 'main.js')], app, 60_000);
    assert.equal(run.stderr, '', 'the library prints nothing on stderr');
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `the library prints nothing itself: ${run.stdout}`);
    const seen = JSON.parse(lines[0]!) as { exitCode: number; checks: number; scopes: string; rejected: string; exitCodeOfProcess: number | null };
    assert.equal(seen.exitCode, 1);
    assert.equal(seen.scopes, 'fail');
    assert.ok(seen.checks >= 9);
    assert.equal(seen.rejected, 'preflight: maxTimeSkw: unknown key (did you mean maxTimeSkew?)');
    assert.equal(seen.exitCodeOfProcess, null, 'preflight never sets the exit code');
  });
});
