import { readFileSync } from 'node:fs';

/**
 * Ends every child process of this one (the `ping` package spawns them and keeps no handle we can
 * reach). Linux lists children in /proc; elsewhere this does nothing and the children end by
 * their own deadline (ping -w), which is never longer than --timeout.
 */
export function killChildren(signal: NodeJS.Signals = 'SIGTERM'): number {
  let killed = 0;
  for (const pid of childPids(process.pid)) {
    try {
      process.kill(pid, signal);
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
