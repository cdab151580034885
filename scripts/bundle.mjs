// Builds what the bin and the library entry load: src/ bundled by esbuild into dist/bundle/, one
// ESM file per entry and chunks for what is loaded on demand (zod, yaml, ldapts, ping, the Kea
// and dhcpd sources, the plan runner...), dependencies included. Run from dist/src, start-up was
// spent resolving and reading ~75 modules and each package's files one by one (issue 11). The
// sources stay as they are: this is a build output, not minified, so a DEBUG stack still reads.
// Type declarations come from tsc (dist/src/**/*.d.ts).
import { build } from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/bundle');

// CommonJS dependencies (commander, ping) call require() for Node's own modules through esbuild's
// __require shim; an ES module has no require, so the one chunk that holds the shim gets one.
const REQUIRE = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);\n";

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  define: { __PACKAGE_NAME__: JSON.stringify(pkg.name), __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  metafile: true,
  write: false,
  logLevel: 'warning',
});

await rm(outdir, { recursive: true, force: true });
for (const file of result.outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  await writeFile(file.path, file.text.includes('Dynamic require of') ? REQUIRE + file.text : file.text);
}
await writeFile(join(outdir, 'THIRD-PARTY-LICENSES.txt'), await licenses(result.metafile));
// Which package each chunk holds, for the bench's "what does a run load" rows; not shipped.
await writeFile(join(root, 'dist/bundle-meta.json'), JSON.stringify(result.metafile));

/** The licence texts of every package whose code the bundle holds: MIT and ISC ask for them. */
async function licenses(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]);
  }
  const parts = [];
  for (const name of [...packages].sort()) {
    const dir = join(root, 'node_modules', name);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) throw new Error(`bundle: ${name} ships no licence file; say where its licence text is before bundling it`);
    parts.push(`${name}@${pkg.version} (${pkg.license})\n\n${(await readFile(join(dir, file), 'utf8')).trim()}\n`);
  }
  return `dist/bundle holds code of these packages, under their licences:\n\n${parts.join('\n---\n\n')}`;
}
