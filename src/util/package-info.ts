import { readFileSync } from 'node:fs';

// Built into the bundle from package.json (scripts/bundle.mjs): no file to look for at start-up,
// where the walk up would slow every --version. Undefined when run from tsc's dist/src.
declare const __PACKAGE_NAME__: string | undefined;
declare const __PACKAGE_VERSION__: string | undefined;

let cached: { name: string; version: string } | undefined;

/** Our package.json, found by walking up from this file (it sits at a different depth in dist/). */
export function packageInfo(): { name: string; version: string } {
  if (cached) return cached;
  if (typeof __PACKAGE_NAME__ === 'string' && typeof __PACKAGE_VERSION__ === 'string')
    return (cached = { name: __PACKAGE_NAME__, version: __PACKAGE_VERSION__ });
  for (let up = '../'; up.length < 16; up += '../') {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8')) as { name: string; version: string };
      if (pkg.name === 'dhcp-failover-check') return (cached = { name: pkg.name, version: pkg.version });
    } catch {
      // not at this level
    }
  }
  return (cached = { name: 'dhcp-failover-check', version: '0.0.0' });
}
