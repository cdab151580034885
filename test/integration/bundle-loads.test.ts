import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BIN } from '../helpers/cli.js';

// Which files of the bundle an invocation loads: start-up time is mostly loading code, so the
// shape scripts/bundle.mjs chooses is held here, by what runs load, not by how long they take
// (that is the bench's to measure).

const ROOT = dirname(dirname(BIN));
const EXAMPLES = join(ROOT, 'examples');
const FILES_RUN = ['127.0.0.2', '--local-source', `windows-json:${EXAMPLES}/local.json`, '--partner-source', `windows-json:${EXAMPLES}/partner.json`];
const FILES_RUN_OPTIONS = ['--timeout', '2s', '--skip', 'time'];

/** The modules (source files) held by each bundle file the CLI loads with these arguments. */
function loaded(args: string[], env: NodeJS.ProcessEnv = {}): string[] {
  const probe = `
    process.on('exit', () => process.stderr.write('\\n@@' + JSON.stringify(Object.keys(require.cache)) + '\\n'));
    process.argv.splice(1, 0, ${JSON.stringify(BIN)});
    require(${JSON.stringify(BIN)});
  `;
  const { stderr } = spawnSync(process.execPath, ['-e', probe, '--', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const line = stderr.split('\n').find((l) => l.startsWith('@@'));
  assert.ok(line, `no module list: ${stderr.slice(0, 300)}`);
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/bundle-meta.json'), 'utf8')) as { files: Record<string, string[]> };
  return (JSON.parse(line.slice(2)) as string[])
    .map((f) => relative(ROOT, f))
    .filter((f) => f.startsWith('dist/bundle/'))
    .flatMap((f) => meta.files[f] ?? []);
}

const has = (modules: string[], pattern: RegExp) => modules.some((m) => pattern.test(m));

describe('what an invocation loads of the bundle', () => {
  test('--version: the CLI entry alone, not the runner', () => {
    const modules = loaded(['--version']);
    assert.ok(has(modules, /src\/cli\.js$/));
    assert.ok(!has(modules, /src\/run\.js$/), 'the runner is not loaded');
  });

  test('a run from Windows bundles, JSON out: the runner and the bundle reader, no npm package, no other source or format', () => {
    const modules = loaded([...FILES_RUN, ...FILES_RUN_OPTIONS, '--format', 'json']);
    for (const m of [/src\/run\.js$/, /src\/sources\/windows-json\.js$/, /src\/report\/json\.js$/]) assert.ok(has(modules, m), `${m} loaded`);
    assert.deepEqual(
      modules.filter((m) => m.includes('node_modules/')),
      [],
      'no npm package',
    );
    for (const m of [/sources\/kea\//, /sources\/dhcpd\//, /probes\/ldap/, /report\/human\.js$/, /cli-program\.js$/])
      assert.ok(!has(modules, m), `${m} not loaded`);
  });

  test('the human report without colour (output not a terminal) does not load chalk; with FORCE_COLOR it does', () => {
    const plain = loaded([...FILES_RUN, ...FILES_RUN_OPTIONS]);
    assert.ok(has(plain, /src\/report\/human\.js$/));
    assert.ok(!has(plain, /node_modules\/chalk\//), 'chalk not loaded');
    const coloured = loaded([...FILES_RUN, ...FILES_RUN_OPTIONS], { FORCE_COLOR: '1', NO_COLOR: '' });
    assert.ok(has(coloured, /node_modules\/chalk\//), 'chalk loaded to paint');
  });
});
