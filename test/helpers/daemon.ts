import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

// How every test daemon (chronyd, smbd, samba, kea-dhcp4, kea-ctrl-agent, dhcpd) is started,
// awaited and stopped: spawned with its output kept (the tail in memory, or a file tests read),
// waited for with a bound, stopped by its PID (SIGTERM, SIGKILL after a grace, then its exit
// awaited), never by name. A daemon that does not start is an error carrying its own last lines:
// a required server that is missing or broken fails its test, it never skips it.

export interface DaemonSpec {
  /** For messages, e.g. "chronyd on 127.0.0.1:41234". */
  name: string;
  command: string;
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdin: a pipe the daemon sees close when this process dies, ignored, or a file descriptor. Default 'ignore'. */
  stdin?: 'ignore' | 'pipe' | number;
  /** Append stdout and stderr to this file (tests read it); default: keep them in memory. */
  outputFile?: string;
  /** In memory, keep the last this many characters (default 1 MiB). */
  maxOutput?: number;
  /** Logs the daemon writes itself: their tails go into failure messages too. */
  logFiles?: readonly string[];
  /** A session and process group of its own (a daemon that signals its group on exit). */
  detached?: boolean;
  /** Send SIGKILL to its whole process group, helpers and workers included (needs detached). */
  killGroup?: boolean;
  /** Between SIGTERM and SIGKILL; default 3000 ms. */
  graceMs?: number;
  /** Added to the error when the command cannot be run at all, e.g. the package to install. */
  hint?: string;
}

export interface StopOptions {
  /** Default SIGTERM; SIGKILL skips the grace. */
  signal?: NodeJS.Signals;
  graceMs?: number;
}

export interface Daemon {
  readonly name: string;
  /** The daemon's own PID (a wrapper must exec it: chroot, env, nsenter do). */
  readonly pid: number;
  readonly child: ChildProcess;
  /** performance.now() at spawn. */
  readonly startedAt: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Resolves when it has exited and its output pipes have closed (all of its output is in output()). */
  readonly closed: Promise<void>;
  running(): boolean;
  /** "running", or how it ended: "exited (code 1, signal null)". */
  state(): string;
  /** Its output so far (the captured tail, or the whole output file). */
  output(): string;
  /** Its last `lines` lines of output and of each log file, headed by name, PID and state. */
  tail(lines?: number): string;
  /** SIGTERM (or `signal`) by PID, SIGKILL after the grace; resolves once it has exited. */
  stop(opts?: StopOptions): Promise<void>;
}

export type DaemonFailure = 'spawn' | 'exited' | 'timeout' | 'stuck';

export class DaemonError extends Error {
  constructor(
    readonly kind: DaemonFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DaemonError';
  }
}

const DEFAULT_GRACE_MS = 3000;
/** After SIGKILL an exit is due at once; this only keeps a stuck (D-state) process from hanging the run. */
const AFTER_KILL_MS = 10_000;
const DEFAULT_TAIL_LINES = 40;

// A crashed or interrupted test run must not orphan daemons: whatever still runs is killed by PID.
const live = new Set<{ pid: number; group: boolean; running(): boolean }>();
process.on('exit', () => {
  for (const d of live) if (d.running()) signal(d.pid, 'SIGKILL', d.group);
});

function signal(pid: number, sig: NodeJS.Signals, group = false): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch (err) {
    // ESRCH: gone already. A group kill can fail where the plain one works (no group yet).
    if (group && (err as NodeJS.ErrnoException).code !== 'ESRCH') signal(pid, sig, false);
  }
}

function lastLines(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

const settledWithin = (p: Promise<void>, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** Spawns the daemon; rejects (DaemonError 'spawn') when the command cannot be run at all. */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const maxOutput = spec.maxOutput ?? 1024 * 1024;
  const fd = spec.outputFile === undefined ? undefined : openSync(spec.outputFile, 'a');
  const stdio: StdioOptions = [spec.stdin ?? 'ignore', fd ?? 'pipe', fd ?? 'pipe'];
  let child: ChildProcess;
  try {
    child = spawn(spec.command, [...(spec.args ?? [])], {
      stdio,
      ...(spec.env ? { env: spec.env } : {}),
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      ...(spec.detached ? { detached: true } : {}),
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }

  let captured = '';
  const collect = (chunk: Buffer) => {
    captured += chunk.toString('utf8');
    if (captured.length > maxOutput) captured = captured.slice(-maxOutput);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  // Later errors (a failed kill) must not become uncaught exceptions.
  child.on('error', () => {});
  if (spawned || child.pid === undefined) {
    throw new DaemonError('spawn', `${spec.name}: cannot run ${spec.command}: ${spawned?.message ?? 'no PID'}${spec.hint ? ` (${spec.hint})` : ''}`);
  }
  const pid = child.pid;
  const running = () => child.exitCode === null && child.signalCode === null;
  const entry = { pid, group: spec.killGroup ?? false, running };
  live.add(entry);
  void exited.then(() => live.delete(entry));

  const output = () => {
    if (spec.outputFile === undefined) return captured;
    try {
      return readFileSync(spec.outputFile, 'utf8');
    } catch {
      return '';
    }
  };
  const state = () => (running() ? 'running' : `exited (code ${child.exitCode}, signal ${child.signalCode})`);

  const daemon: Daemon = {
    name: spec.name,
    pid,
    child,
    startedAt: performance.now(),
    exited,
    closed,
    running,
    state,
    output,
    tail(lines = DEFAULT_TAIL_LINES) {
      const parts = [`--- ${spec.name} (pid ${pid}, ${state()}): ${spec.outputFile ?? 'its output'} ---\n${lastLines(output(), lines) || '(nothing)'}`];
      for (const log of spec.logFiles ?? []) {
        parts.push(`--- ${log} ---\n${existsSync(log) ? lastLines(readFileSync(log, 'utf8'), lines) || '(empty)' : '(none)'}`);
      }
      return parts.join('\n');
    },
    async stop(opts = {}) {
      const sig = opts.signal ?? 'SIGTERM';
      if (running()) {
        signal(pid, sig);
        if (sig === 'SIGKILL' || !(await settledWithin(exited, opts.graceMs ?? spec.graceMs ?? DEFAULT_GRACE_MS))) {
          signal(pid, 'SIGKILL', spec.killGroup);
        }
        if (!(await settledWithin(exited, AFTER_KILL_MS))) {
          throw new DaemonError('stuck', `${spec.name} (pid ${pid}) did not exit ${AFTER_KILL_MS} ms after SIGKILL`);
        }
      }
      await exited;
    },
  };
  return daemon;
}

export interface WaitOptions {
  /** What is awaited, for the error: "chronyd on 127.0.0.1:123 to answer SNTP". */
  what: string;
  withinMs: number;
  /** Pause between probes; default 50 ms. */
  everyMs?: number;
  /** Stop the daemons when the wait fails (default true): nothing is left running behind an error. */
  stopOnFailure?: boolean;
  /** Lines of each daemon's output and logs in the error; default 40. */
  tailLines?: number;
}

/**
 * Polls `probe` until it returns true, for at most `withinMs`; resolves with the ms waited. A
 * false, a string (why not yet) or a throw means not yet. Fails at once (DaemonError 'exited')
 * when one of `daemons` exits, and with 'timeout' at the bound; the message carries the last
 * lines of every daemon's output and logs.
 */
export async function waitReady(
  daemons: Daemon | readonly Daemon[],
  probe: (remainingMs: number) => Promise<boolean | string> | boolean | string,
  opts: WaitOptions,
): Promise<number> {
  const list = Array.isArray(daemons) ? (daemons as readonly Daemon[]) : [daemons as Daemon];
  const started = performance.now();
  const end = started + opts.withinMs;
  const tails = () => list.map((d) => d.tail(opts.tailLines)).join('\n');
  let last = 'no attempt';
  const fail = async (kind: DaemonFailure, why: string): Promise<never> => {
    // An exited daemon's last words may still be in its pipes: let them arrive (bounded).
    if (kind === 'exited') await Promise.all(list.map((d) => (d.running() ? undefined : settledWithin(d.closed, 1000))));
    const error = new DaemonError(kind, `Waiting for ${opts.what}: ${why}\n${tails()}`);
    if (opts.stopOnFailure ?? true) await Promise.all(list.map((d) => d.stop().catch(() => undefined)));
    throw error;
  };
  for (;;) {
    const dead = list.find((d) => !d.running());
    if (dead) return fail('exited', `${dead.name} (pid ${dead.pid}) ${dead.state()} (last: ${last}).`);
    let answer: boolean | string;
    try {
      answer = await probe(Math.max(1, end - performance.now()));
    } catch (err) {
      answer = err instanceof Error ? err.message : String(err);
    }
    if (answer === true) return performance.now() - started;
    if (typeof answer === 'string') last = answer;
    else last = 'not yet';
    const deadAfter = list.find((d) => !d.running());
    if (deadAfter) return fail('exited', `${deadAfter.name} (pid ${deadAfter.pid}) ${deadAfter.state()} (last: ${last}).`);
    if (performance.now() >= end) {
      return fail('timeout', `not within ${opts.withinMs} ms (last: ${last}); ${list.map((d) => `${d.name} pid ${d.pid} ${d.state()}`).join(', ')}.`);
    }
    await new Promise((r) => setTimeout(r, Math.min(opts.everyMs ?? 50, Math.max(1, end - performance.now()))));
  }
}
