import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

  test('the tarball holds the bundle, its types, LICENSE, the bundled licences, README, docs and examples, and no tests', async () => {
    const files = (await ok('tar', ['tzf', tarball], dir, 30_000)).stdout.split('\n');
    for (const f of [
      'package/bin/dhcp-failover-check.cjs',
      'package/dist/bundle/cli.cjs',
      'package/dist/bundle/index.cjs',
      'package/dist/bundle/index.mjs',
      'package/dist/bundle/THIRD-PARTY-LICENSES.txt',
      'package/dist/src/index.d.ts',
      'package/dist/src/index.d.cts',
      'package/LICENSE',
      'package/README.md',
      'package/docs/performance.md',
      'package/docs/windows-sources.md',
      'package/collectors/windows.ps1',
      'package/examples/config.json',
      'package/examples/config.schema.json',
    ]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.match(
      (await ok('tar', ['xzOf', tarball, 'package/LICENSE'], dir, 30_000)).stdout,
      /^MIT License\n\nCopyright \(c\) \d{4} dhcp-failover-check contributors\n/,
    );
    assert.equal(files.filter((f) => /dist\/(test|bench)\/|\.map$|\.ts$/.test(f) && !f.endsWith('.d.ts')).length, 0, 'no tests, benches, maps or sources');
    // The code ships once, bundled: tsc's per-module output would be a second copy nobody loads.
    assert.deepEqual(
      files.filter((f) => /^package\/dist\/src\/.*\.js$/.test(f)),
      [],
      'no unbundled modules',
    );
    const licences = (await ok('tar', ['xzOf', tarball, 'package/dist/bundle/THIRD-PARTY-LICENSES.txt'], dir, 30_000)).stdout;
    for (const name of ['commander', 'chalk', 'zod', 'yaml', 'ldapts', 'ping'])
      assert.match(licences, new RegExp(`^${name}@\\d`, 'm'), `${name}'s licence is shipped`);
  });

  test('every relative link of the installed README and docs/, and every example file the README names, is in the package', () => {
    const broken: string[] = [];
    for (const doc of ['README.md', ...readdirSync(join(pkgDir, 'docs')).map((f) => `docs/${f}`)]) {
      const text = readFileSync(join(pkgDir, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target!)) continue;
        if (!existsSync(join(pkgDir, dirname(doc), target!.replace(/#.*$/, '')))) broken.push(`${doc}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
    // The worked runs' files: the README's commands work from the installed package's folder.
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    const named = [...new Set(readme.match(/\bexamples\/[\w./-]*\w/g))];
    assert.ok(named.length >= 10, `${named.length} example files named`);
    assert.deepEqual(
      named.filter((f) => !existsSync(join(pkgDir, f))),
      [],
      'every example file the README names ships',
    );
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
    // The collector the README starts the Windows section with: printed by the installed command.
    const collector = await sh(bin, ['collector', 'windows'], dir, 20_000);
    assert.equal(collector.code, 0, collector.stderr);
    assert.equal(collector.stdout, readFileSync(join(pkgDir, 'collectors/windows.ps1'), 'utf8'));
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
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the consumer's source text, written out as a file
        "try { await preflight({ partner: '127.0.0.2', maxTimeSkw: '1m' } as never); } catch (err) { rejected = err instanceof InputError ? err.message : `not an InputError: ${String(err)}`; }",
        'console.log(JSON.stringify({ exitCode: report.exitCode, checks: report.checks.length, scopes: report.checks.find((c) => c.id === "scopes")?.status, rejected, exitCodeOfProcess: process.exitCode ?? null }));',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
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

  test('plain CommonJS require()s the package: the same exports, and the same InputError class as `import`', async () => {
    const app = join(dir, 'cjs-js');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cjs-js', version: '1.0.0', private: true }));
    await ok('npm', ['install', ...NPM_FLAGS, tarball], app, 120_000);
    writeFileSync(
      join(app, 'main.js'),
      [
        "'use strict';",
        "const lib = require('dhcp-failover-check');",
        'const { preflight, InputError, CHECK_IDS } = lib;',
        "preflight({ localSource: 'windows-json:nowhere.json' }).then(",
        "  () => console.log('resolved'),",
        '  async (err) => {',
        "    const esm = await import('dhcp-failover-check');",
        '    console.log(JSON.stringify({ exports: Object.keys(lib).sort(), checks: CHECK_IDS.length, isInputError: err instanceof InputError, message: err.message, sameClass: esm.InputError === InputError, samePreflight: esm.preflight === preflight }));',
        '  },',
        ');',
        '',
      ].join('\n'),
    );
    const run = await ok(process.execPath, [join(app, 'main.js')], app, 60_000);
    assert.equal(run.stderr, '');
    const seen = JSON.parse(run.stdout) as {
      exports: string[];
      checks: number;
      isInputError: boolean;
      message: string;
      sameClass: boolean;
      samePreflight: boolean;
    };
    assert.deepEqual(seen.exports, ['CHECK_IDS', 'InputError', 'STATUSES', 'preflight']);
    assert.ok(seen.checks >= 9);
    assert.equal(seen.isInputError, true, seen.message);
    assert.match(seen.message, /^preflight: missing partner/);
    assert.equal(seen.sameClass, true, 'require and import share one InputError');
    assert.equal(seen.samePreflight, true);
  });

  test('a CommonJS TypeScript project (module node16, skipLibCheck false) compiles against the types and runs preflight()', async () => {
    const app = join(dir, 'cjs-ts');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cjs-ts', version: '1.0.0', private: true }));
    await ok('npm', ['install', ...NPM_FLAGS, tarball], app, 120_000);
    writeFileSync(
      join(app, 'main.ts'),
      [
        "import { preflight, InputError, CHECK_IDS, type CheckResult, type PreflightOptions, type PreflightReport } from 'dhcp-failover-check';",
        // The types say what preflight() takes and returns: each of these lines must be a type error.
        '// @ts-expect-error partner is required',
        "const noPartner: PreflightOptions = { localSource: 'windows-json:nowhere.json' };",
        '// @ts-expect-error output is not an option of preflight()',
        "const withOutput: PreflightOptions = { partner: '127.0.0.2', output: 'json=r.json' };",
        '// @ts-expect-error format is not an option of preflight()',
        "const withFormat: PreflightOptions = { partner: '127.0.0.2', format: 'json' };",
        '// @ts-expect-error the JSON report has no evidence lines',
        'const evidenceOf = (c: CheckResult) => c.evidence;',
        'const codesOf = (r: PreflightReport): string[] => r.checks.map((c) => c.code);',
        'async function main(): Promise<void> {',
        '  const rejected: string[] = [];',
        '  for (const options of [noPartner, withOutput]) {',
        '    try {',
        '      await preflight(options);',
        "      rejected.push('resolved');",
        '    } catch (err) {',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the consumer's source text, written out as a file
        '      rejected.push(err instanceof InputError ? err.message : `not an InputError: ${String(err)}`);',
        '    }',
        '  }',
        '  console.log(JSON.stringify({ rejected, checks: CHECK_IDS.length, unused: [typeof withFormat, typeof evidenceOf, typeof codesOf] }));',
        '}',
        'void main();',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: false,
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
          outDir: 'out',
        },
        files: ['main.ts'],
      }),
    );
    await ok(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app, 120_000);
    const compiled = readFileSync(join(app, 'out', 'main.js'), 'utf8');
    assert.match(compiled, /require\("dhcp-failover-check"\)/, 'compiled to CommonJS: the package is loaded by require()');
    const run = await ok(process.execPath, [join(app, 'out', 'main.js')], app, 60_000);
    assert.equal(run.stderr, '');
    const seen = JSON.parse(run.stdout) as { rejected: string[]; checks: number };
    assert.equal(seen.rejected.length, 2);
    assert.match(seen.rejected[0]!, /^preflight: missing partner/);
    assert.match(seen.rejected[1]!, /^preflight: output: not used by preflight\(\)/);
    assert.ok(seen.checks >= 9);
  });
});
