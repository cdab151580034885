import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// test/unit mirrors src/: the tests of src/a/b.ts are test/unit/a/b.test.ts, so a module's tests
// are found (and moved, and deleted) with it. A file test/unit/P.test.ts must name a module
// (src/P.ts) or a folder (src/P/, a folder-level test); P/property.test.ts holds the property
// tests of the folder src/P/. Anything else is one of the few exceptions below, each with its
// reason. Helpers shared by tests live in test/helpers/, not here.

const ROOT = (() => {
  for (let up = '../../'; up.length < 20; up += '../') {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'src', 'cli.ts')) && existsSync(join(dir, 'test', 'unit'))) return dir;
  }
  throw new Error('the repository root (src/cli.ts beside test/unit/) was not found');
})();
const SRC = join(ROOT, 'src');
const UNIT = join(ROOT, 'test', 'unit');

/** Test paths (relative to test/unit, without .test.ts; a trailing / for a whole folder) that mirror no src path, and why. */
const EXCEPTIONS: Record<string, string> = {
  architecture: "holds the layers of all of src/ (its import graph), no one module's",
  readme: "holds README.md's tables to the CLI options, config keys and check ids",
  layout: 'holds this layout: test/unit mirrors src/',
  'property/': 'property tests whose generators span layers (config, net, util, probes, sources) in one run',
  'sources/stream-seams': 'one invariant over both chunked Windows readers (windows-json, windows-export): chunk boundaries never change a result',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const posix = (p: string) => p.split(sep).join('/');

const all = files(UNIT).map((f) => posix(relative(UNIT, f)));
const tests = all.filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length));

function exception(test: string): string | undefined {
  return EXCEPTIONS[test] ?? Object.entries(EXCEPTIONS).find(([k]) => k.endsWith('/') && test.startsWith(k))?.[1];
}

/** Why `test` (e.g. "checks/dns") is where it is, or undefined when nothing in src/ answers for it. */
function mirrors(test: string): string | undefined {
  if (existsSync(join(SRC, `${test}.ts`))) return `src/${test}.ts`;
  if (isDir(join(SRC, test))) return `src/${test}/`;
  if (test.endsWith('/property') || test === 'property') {
    const folder = dirname(test);
    if (folder !== '.' && isDir(join(SRC, folder))) return `src/${folder}/ (property tests)`;
  }
  return undefined;
}

describe('test layout', () => {
  it('reads the real tree (sanity: the check tests are there)', () => {
    assert.ok(tests.length > 40, `${tests.length} test files`);
    assert.ok(tests.includes('checks/dns'));
    assert.equal(mirrors('checks/dns'), 'src/checks/dns.ts');
    assert.equal(mirrors('sources/kea'), 'src/sources/kea/');
    assert.equal(mirrors('windows-json'), undefined, 'a flat file whose module lives in src/sources/');
    assert.equal(mirrors('sources/dhcpd/property'), 'src/sources/dhcpd/ (property tests)');
    assert.equal(mirrors('nowhere/property'), undefined);
  });

  it('every test file under test/unit mirrors a src path (or is a listed exception)', () => {
    const strays = tests.filter((t) => mirrors(t) === undefined && exception(t) === undefined).map((t) => `test/unit/${t}.test.ts`);
    assert.deepEqual(
      strays,
      [],
      'move each to the folder of the src module it tests (test/unit/a/b.test.ts for src/a/b.ts), or list it in EXCEPTIONS with a reason',
    );
  });

  it('holds nothing but tests (shared code lives in test/helpers/)', () => {
    assert.deepEqual(
      all.filter((f) => !f.endsWith('.test.ts')),
      [],
    );
  });

  it('lists no exception that mirrors src anyway or no longer exists', () => {
    const stale = Object.keys(EXCEPTIONS).filter((k) =>
      k.endsWith('/') ? !tests.some((t) => t.startsWith(k)) : !tests.includes(k) || mirrors(k) !== undefined,
    );
    assert.deepEqual(stale, []);
  });
});
