import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** bin/ of this checkout, found upwards from here (tests run from test/ or from dist/test/). */
export const BIN = (() => {
  for (let up = '../'; up.length < 16; up += '../') {
    const candidate = fileURLToPath(new URL(`${up}bin/dhcp-failover-check.cjs`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('bin/dhcp-failover-check.cjs not found');
})();

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Run inside this network namespace (a bind-mounted netns file), through nsenter. */
  netns?: string;
  timeoutMs?: number;
  onSpawn?: (pid: number) => void;
}

/** Runs the built CLI as a separate process, the way an admin or CI job would. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const argv = opts.netns ? ['nsenter', `--net=${opts.netns}`, process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, NO_COLOR: '1', CI: 'true', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}
