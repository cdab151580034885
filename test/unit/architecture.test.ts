import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORM_IDS } from '../../src/platforms/ids.js';

// The layers of DESIGN.md, held by reading the sources' own import statements (type imports
// included: a type cycle is still a cycle of concepts). madge in .ci/run says the same for cycles.

const SRC = (() => {
  for (let up = '../../'; up.length < 20; up += '../') {
    const dir = fileURLToPath(new URL(`${up}src/`, import.meta.url));
    try {
      if (statSync(join(dir, 'cli.ts')).isFile()) return dir;
    } catch {
      // not here: one level up
    }
  }
  throw new Error('src/ not found');
})();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** file (relative to src) -> the src files it imports. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      deps.push(relative(SRC, resolve(dirname(f), spec.replace(/\.js$/, '.ts'))));
    }
    g.set(relative(SRC, f), deps);
  }
  return g;
}

/** Every cycle (as a path) found by a depth-first search. */
function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return found;
}

const g = graph();
const layer = (f: string) => f.split('/')[0]!;

describe('architecture', () => {
  it('reads the real import graph (sanity: cli.ts imports command.ts lazily)', () => {
    assert.ok(g.size > 40, `${g.size} files`);
    assert.ok(g.get('cli.ts')?.includes('command.ts'));
  });

  it('has no import cycle', () => {
    assert.deepEqual(
      cycles(g).map((c) => c.join(' > ')),
      [],
    );
  });

  it('checks import no source and no probe (they reach the world through the Context)', () => {
    const bad = [...g]
      .filter(([f]) => layer(f) === 'checks')
      .flatMap(([f, deps]) => deps.filter((d) => ['sources', 'probes'].includes(layer(d))).map((d) => `${f} -> ${d}`));
    assert.deepEqual(bad, []);
  });

  it('probes know no DHCP platform, source or check', () => {
    const bad = [...g]
      .filter(([f]) => layer(f) === 'probes')
      .flatMap(([f, deps]) => deps.filter((d) => ['sources', 'checks', 'platforms', 'context.ts', 'plan.ts'].includes(layer(d))).map((d) => `${f} -> ${d}`));
    assert.deepEqual(bad, []);
  });

  it('platforms judge facts: they import no probe, check, context or reporter', () => {
    const bad = [...g]
      .filter(([f]) => layer(f) === 'platforms')
      .flatMap(([f, deps]) => deps.filter((d) => ['probes', 'checks', 'report', 'context.ts', 'runner.ts'].includes(layer(d))).map((d) => `${f} -> ${d}`));
    assert.deepEqual(bad, []);
  });

  it('no file under src/checks names a platform', () => {
    const names = PLATFORM_IDS.filter((p) => p !== 'other');
    const words = new RegExp(`['"\`](?:${names.join('|')})['"\`]|\\b(?:Windows|Kea|dhcpd)\\b`, 'i');
    const bad = files(join(SRC, 'checks')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => words.test(line))
        .map(({ line, i }) => `${relative(SRC, f)}:${i + 1}: ${line.trim()}`),
    );
    assert.deepEqual(bad, []);
  });
});
