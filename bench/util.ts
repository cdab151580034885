import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Repository root, found upwards from here (runs from bench/ via tsx or from dist/bench/). */
export const ROOT = (() => {
  for (let up = '../'; up.length < 16; up += '../') {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}package.json`) && existsSync(`${dir}bin/dhcp-failover-check.cjs`)) return dir.replace(/\/$/, '');
  }
  throw new Error('repository root not found');
})();

export const BIN = `${ROOT}/bin/dhcp-failover-check.cjs`;

/** How many times each measurement runs (env BENCH_RUNS, default 7). */
export const RUNS = (() => {
  const n = Number(process.env.BENCH_RUNS ?? 7);
  return Number.isInteger(n) && n >= 1 ? n : 7;
})();

export interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn() to 'close', in ms. */
  wallMs: number;
  /** Whatever the child wrote to fd 3 (our in-process wrappers report resource usage there). */
  fd3: string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Open fd 3 as a pipe and collect it. */
  fd3?: boolean;
}

/** Spawns argv, collects its output, and times it from spawn to exit. */
export function timed(argv: readonly string[], opts: SpawnOptions = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // As users start it: NODE_EXTRA_CA_CERTS (set on these machines) costs node ~40 ms before any
    // code of ours runs, and would hide our share of a start-up ratio.
    const { NODE_EXTRA_CA_CERTS: _ca, ...inherited } = process.env;
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...inherited, NO_COLOR: '1', CI: 'true', ...opts.env },
      stdio: opts.fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const extra: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    if (opts.fd3) (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => extra.push(d));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(killer);
      resolve({
        code,
        signal,
        wallMs,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        fd3: Buffer.concat(extra).toString('utf8'),
      });
    });
  });
}

/** The built CLI as an admin runs it: `node bin/dhcp-failover-check.cjs ...`. */
export function cli(args: readonly string[], opts: SpawnOptions = {}): Promise<Timed> {
  return timed([process.execPath, BIN, ...args], opts);
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/**
 * Runs every task once per round, in the same order each round (A, B, A, B, ...), so the
 * machine's noise hits all of them alike. Returns the samples per task name.
 */
export async function interleaved<K extends string>(rounds: number, tasks: Record<K, () => Promise<number>>, warmup = 1): Promise<Record<K, number[]>> {
  const names = Object.keys(tasks) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < warmup; r++) for (const n of names) await tasks[n]();
  for (let r = 0; r < rounds; r++) for (const n of names) samples[n].push(await tasks[n]());
  return samples;
}

export const ms = (v: number): string =>
  !Number.isFinite(v) ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;

export const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MB`;

/** "812 ms (790–840)": median and the range over the runs. */
export const spread = (s: Summary, fmt: (v: number) => string = ms): string =>
  s.n === 0 ? '—' : s.n === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

export const log = (text: string): void => {
  process.stderr.write(`[bench] ${text}\n`);
};

export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
