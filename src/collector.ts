import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WINDOWS_COLLECTOR } from './sources/windows-bundle-keys.js';
import { InputError } from './util/errors.js';

// `dhcp-failover-check collector <platform>`: the shipped collector scripts, found beside the
// package's package.json (the bundle and tsc's dist/src sit at different depths under it).

const COLLECTORS: Record<string, string> = { windows: WINDOWS_COLLECTOR };

/** The absolute path of a shipped collector. */
export function collectorPath(platform: string): string {
  const rel = COLLECTORS[platform];
  if (rel === undefined) throw new InputError(`collector: unknown platform "${platform}" (collectors: ${Object.keys(COLLECTORS).join(', ')})`);
  for (let up = '../'; up.length < 16; up += '../') {
    const path = fileURLToPath(new URL(`${up}${rel}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`${rel} is missing from the package`);
}

export async function collectorText(platform: string): Promise<string> {
  return readFileSync(collectorPath(platform), 'utf8');
}
