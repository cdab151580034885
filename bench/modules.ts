import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ROOT, timed } from './util.js';

const HOOK = fileURLToPath(new URL('./module-hook.js', import.meta.url));

/** scripts/bundle.mjs: each file of dist/bundle and the modules it holds (paths from the repository root). */
type Meta = { files: Record<string, string[]> };

/**
 * The files of the bundle one CLI invocation loads (`own`), and the npm packages whose code they
 * hold, from the bundle's metafile; a package loaded from node_modules (not bundled) counts too.
 */
export async function modulesLoaded(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ packages: string[]; own: number }> {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as Meta;
  const t = await timed([process.execPath, '--import', HOOK, BIN, ...args], { fd3: true, env });
  const urls = new Set(t.fd3.split('\n').filter(Boolean));
  const packages = new Set<string>();
  const packageOf = (path: string) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
  let own = 0;
  for (const url of urls) {
    const path = fileURLToPath(url);
    const inBundle = /\/(dist\/bundle\/.*)$/.exec(path)?.[1];
    if (inBundle) {
      own++;
      for (const input of meta.files[inBundle] ?? []) {
        const name = packageOf(input);
        if (name) packages.add(name);
      }
    } else {
      const name = packageOf(path);
      if (name) packages.add(name);
    }
  }
  return { packages: [...packages].sort(), own };
}
