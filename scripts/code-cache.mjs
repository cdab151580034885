// Writes dist/bundle's V8 code caches (see bin/code-cache.cjs): runs the built CLI on the shipped
// examples, each run through scripts/code-cache-collect.cjs. A file several runs load keeps the
// cache of the last of them, so the plainest and most common run (Windows bundles) comes last.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist/bundle');
for (const f of readdirSync(bundle, { recursive: true })) if (String(f).endsWith('.v8')) rmSync(join(bundle, String(f)));

// Files only, and addresses on loopback that refuse at once: no server is needed, nothing waits.
const runs = [
  ['--version'],
  [
    '127.0.0.2',
    '--local-source',
    'inventory:examples/inventory/hub.yaml',
    '--partner-source',
    'windows-export:examples/windows-export/branch2.xml',
    '--skip',
    'time',
  ],
  [
    '127.0.0.2',
    '--local-source',
    'kea-config:examples/kea/dhcp1-kea-dhcp4.conf',
    '--partner-source',
    'kea-config:examples/kea/dhcp2-kea-dhcp4.conf',
    '--skip',
    'time',
  ],
  ['127.0.0.2', '--local-source', 'dhcpd:examples/dhcpd/dhcp1-dhcpd.conf', '--partner-source', 'dhcpd:examples/dhcpd/dhcp2-dhcpd.conf', '--skip', 'time'],
  ['127.0.0.2', '--local-source', 'windows-json:examples/local.json', '--partner-source', 'windows-json:examples/partner.json', '--skip', 'time'],
  [
    '127.0.0.2',
    '--local-source',
    'windows-json:examples/local.json',
    '--partner-source',
    'windows-json:examples/partner.json',
    '--skip',
    'time',
    '--format',
    'json',
  ],
];
const env = { ...process.env, NO_COLOR: '1' };
for (const args of runs) {
  try {
    execFileSync(
      process.execPath,
      ['-r', join(root, 'scripts/code-cache-collect.cjs'), join(root, 'bin/dhcp-failover-check.cjs'), ...args, '--timeout', '2s'],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 30_000,
      },
    );
  } catch (err) {
    // Exit 1 (NOT READY) and 3 (unknown) are runs that worked; anything else is a broken build.
    if (err.status !== 1 && err.status !== 3)
      throw new Error(`code cache: ${args.join(' ')} exited ${err.status ?? err.signal}: ${String(err.stderr).trim().slice(0, 500)}`);
  }
}
