import { BIN, timed } from './util.js';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./module-hook.js', import.meta.url));

/** The npm packages (and the count of our own modules) one CLI invocation loads. */
export async function modulesLoaded(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ packages: string[]; own: number }> {
  const t = await timed([process.execPath, '--import', HOOK, BIN, ...args], { fd3: true, env });
  const urls = new Set(t.fd3.split('\n').filter(Boolean));
  const packages = new Set<string>();
  let own = 0;
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]!);
    else if (url.includes('/dist/src/')) own++;
  }
  return { packages: [...packages].sort(), own };
}
