import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SilentNet {
  /** The netns file to pass to nsenter --net=. */
  netns: string;
  /** An address inside the namespace that swallows every packet: no reply, no error. */
  silentAddress: string;
  close(): void;
}

/**
 * A private network namespace in which SILENT_ADDRESS is routable but nothing answers: its
 * neighbour entry points at a MAC no interface has, so frames leave and vanish — no ICMP error,
 * no RST, no ARP failure. Loopback alone cannot stage this (every 127.x answers ping).
 */
export function createSilentNet(): SilentNet {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-netns-'));
  const netns = join(dir, 'netns');
  writeFileSync(netns, '');
  execFileSync('unshare', [`--net=${netns}`, 'true']);
  const ns = (...args: string[]) => execFileSync('nsenter', [`--net=${netns}`, ...args], { stdio: 'pipe' });
  try {
    ns('ip', 'link', 'set', 'lo', 'up');
    ns('ip', 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
    ns('ip', 'addr', 'add', '10.200.0.1/24', 'dev', 'veth0');
    ns('ip', 'link', 'set', 'veth0', 'up');
    ns('ip', 'link', 'set', 'veth1', 'up');
    ns('ip', 'neigh', 'add', '10.200.0.2', 'lladdr', '02:00:00:00:00:99', 'dev', 'veth0', 'nud', 'permanent');
  } catch (err) {
    cleanup();
    throw new Error(`could not build the test network namespace: ${(err as Error).message}`);
  }
  function cleanup() {
    try {
      execFileSync('umount', [netns], { stdio: 'pipe' });
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { netns, silentAddress: '10.200.0.2', close: cleanup };
}
