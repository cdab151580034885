// Builds what the bin and the library entry load: tsc's dist/src/cli.js and index.js bundled by
// Rollup into CommonJS under dist/bundle/, dependencies included, a chunk per `import()` (zod,
// yaml, ldapts, ping, the Kea and dhcpd sources, the plan runner... stay out of a plain run).
// Type declarations come from tsc (dist/src/**/*.d.ts; `build:package` emits them); for `require`
// they are copied as .d.cts (see cjsDeclarations below). The sources stay as they are.
//
// Why this shape (start-up time; the figures and their history are in docs/performance.md):
// - CommonJS: Node 20 loads a required file synchronously; its ES module loader spends several
//   thread-pool round trips per file, and a run loads a dozen.
// - Rollup, not esbuild: a module that the entry has already loaded stays in the entry's chunk
//   when a lazy chunk needs it too, so a run loads a few chunks instead of two dozen shards.
// - Whitespace-minified, ASCII-only (esbuild's transform): V8 compiles less text, and a file
//   holding one character beyond Latin-1 ('…', '—') is a two-byte string to V8, twice the bytes
//   to scan. Names are kept: a DEBUG stack still names every function.
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { transform } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/bundle');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules);

/** The package's name and version, written into util/package-info.js: no package.json to find at start-up. */
const definePackage = {
  name: 'define-package',
  transform(code, id) {
    if (!id.endsWith('/util/package-info.js')) return null;
    return { code: code.replaceAll('__PACKAGE_NAME__', JSON.stringify(pkg.name)).replaceAll('__PACKAGE_VERSION__', JSON.stringify(pkg.version)), map: null };
  },
};

const compact = {
  name: 'compact',
  async renderChunk(code) {
    const out = await transform(code, {
      minifyWhitespace: true,
      charset: 'ascii',
      legalComments: 'none',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    return { code: out.code, map: null };
  },
};

/** Known and harmless in dependencies: their import cycles, comments Rollup cannot read as annotations. */
const dependencyNoise = (w) =>
  ['CIRCULAR_DEPENDENCY', 'INVALID_ANNOTATION'].includes(w.code) && /node_modules/.test(`${w.id ?? ''} ${(w.ids ?? []).join(' ')} ${w.message}`);

/** Rollup's manualChunks: see the bundle options below. */
function coreChunks(id, { getModuleInfo }) {
  if (!coreChunks.of) {
    const closure = (entry) => {
      const seen = new Set();
      const visit = (m) => {
        if (seen.has(m)) return;
        seen.add(m);
        for (const dep of getModuleInfo(m)?.importedIds ?? []) visit(dep);
      };
      visit(join(root, entry));
      return seen;
    };
    const cli = closure('dist/src/cli.js');
    // With the JSON report (the library's document too) and the nesting bound every parser shares.
    const core = ['dist/src/command.js', 'dist/src/report/json.js', 'dist/src/util/nesting.js'].flatMap((e) => [...closure(e)]).filter((m) => !cli.has(m));
    coreChunks.of = new Map([...[...cli].map((m) => [m, 'cli']), ...core.map((m) => [m, 'core'])]);
  }
  if (/\/src\/sources\/(windows-json[\w-]*|json-stream|text-stream|windows-common)\.js$/.test(id)) return 'windows-json';
  return coreChunks.of.get(id);
}

const bundle = await rollup({
  input: { cli: join(root, 'dist/src/cli.js'), index: join(root, 'dist/src/index.js') },
  external: (id) => id.startsWith('node:') || builtins.has(id),
  // Warnings still reach onwarn; the chunk-merging report (info) is not the build's news.
  logLevel: 'warn',
  plugins: [definePackage, nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), compact],
  onwarn(warning) {
    if (dependencyNoise(warning)) return;
    throw new Error(`bundle: ${warning.message}`);
  },
});
await rm(outdir, { recursive: true, force: true });
const { output } = await bundle.write({
  dir: outdir,
  format: 'cjs',
  entryFileNames: '[name].cjs',
  chunkFileNames: 'chunks/[name]-[hash].cjs',
  generatedCode: 'es2015',
  // The files a plain run loads, chosen rather than left to Rollup's sharing rules, which split
  // them by which lazy entries share each module: `cli` (all that --version needs), `core` (the
  // command, the runner, the checks: everything command.js imports statically, and the JSON
  // report) and `windows-json` (the bundle reader and the streaming readers under it, which
  // an export or inventory run then loads too, a few kB). Every file more costs a run a resolve,
  // two reads and a compile (docs/performance.md).
  manualChunks: coreChunks,
  interop: 'auto',
});
await bundle.close();

const chunks = output.filter((o) => o.type === 'chunk');
const library = chunks.find((c) => c.isEntry && c.name === 'index');
if (!library) throw new Error('bundle: no index entry in the output');
// `import` gets the same code as `require`: one copy, and one InputError class for both.
await writeFile(
  join(outdir, 'index.mjs'),
  `// The library for \`import\`: the CommonJS bundle's exports (scripts/bundle.mjs).\nimport lib from './index.cjs';\nexport const { ${library.exports.join(', ')} } = lib;\n`,
);
await writeFile(join(outdir, 'THIRD-PARTY-LICENSES.txt'), await licenses(chunks));
await cjsDeclarations();
// Which modules each file holds, for the bench's "what does a run load" rows; not shipped.
const meta = Object.fromEntries(
  chunks.map((c) => [`dist/bundle/${c.fileName}`, c.moduleIds.map((id) => relative(root, id.replace(/^\0/, '').replace(/\?.*$/, '')))]),
);
await writeFile(join(root, 'dist/bundle-meta.json'), JSON.stringify({ files: meta }));

/** The licence texts of every package whose code the bundle holds: MIT and ISC ask for them. */
async function licenses(chunks) {
  const packages = new Set();
  for (const c of chunks) {
    for (const id of c.moduleIds) {
      const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
      if (m) packages.add(m[1]);
    }
  }
  const parts = [];
  for (const name of [...packages].sort()) {
    const dir = join(root, 'node_modules', name);
    const info = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) throw new Error(`bundle: ${name} ships no licence file; say where its licence text is before bundling it`);
    parts.push(`${name}@${info.version} (${info.license})\n\n${(await readFile(join(dir, file), 'utf8')).trim()}\n`);
  }
  return `dist/bundle holds code of these packages, under their licences:\n\n${parts.join('\n---\n\n')}`;
}

/**
 * Declarations for `require('dhcp-failover-check')`. The package is `"type": "module"`, so
 * TypeScript reads every .d.ts in it as an ES module, and a CommonJS consumer (`module: node16`)
 * may not import one (TS1479). The `require` condition's `types` therefore points at .d.cts
 * copies: index.d.ts and every declaration it reaches, relative `.js` specifiers made `.cjs`
 * (TypeScript resolves `./x.cjs` to `./x.d.cts`). Only when tsc emitted declarations.
 */
async function cjsDeclarations() {
  const src = join(root, 'dist/src');
  if (!existsSync(join(src, 'index.d.ts'))) return;
  for (const f of await readdir(src, { recursive: true })) if (f.endsWith('.d.cts')) await rm(join(src, f));
  const queue = ['index.d.ts'];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(join(src, file), 'utf8');
    const cts = text.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\.js\2/g, (_, lead, quote, spec) => {
      queue.push(posix.join(posix.dirname(file), `${spec}.d.ts`));
      return `${lead}${quote}${spec}.cjs${quote}`;
    });
    await writeFile(join(src, file.replace(/\.d\.ts$/, '.d.cts')), cts);
  }
}
