import { redrawAllowed } from '../util/colour-env.js';
import { stderrIsTTY } from '../util/terminal.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;
const CLEAR_LINE = '\r\x1b[2K';

export interface Progress {
  start(ids: string[]): void;
  done(id: string): void;
  stop(): void;
}

/** What progress needs of a stream; a NodeJS.WriteStream (stderr) is one, and so is a test's Writable. */
export interface ProgressStream {
  write(chunk: string): boolean;
  columns?: number;
}

const noop: Progress = { start() {}, done() {}, stop() {} };

/**
 * The run's progress line on stderr: shown for the human format when stderr is a terminal and
 * neither CI nor --quiet says otherwise. Otherwise process.stderr is not even created (for a
 * pipe that costs start-up time).
 */
export function stderrProgress(format: string, quiet: boolean): Progress {
  return stderrIsTTY() && redrawAllowed(process.env) && !quiet && format === 'human' ? createProgress(process.stderr, true) : noop;
}

/**
 * One self-redrawing status line. The caller decides `enabled` (stderr is a TTY, not CI, not
 * quiet): a redrawn line in a log file or a pipe is only noise.
 */
export function createProgress(stream: ProgressStream, enabled: boolean): Progress {
  if (!enabled) return noop;
  let all: string[] = [];
  const pending = new Set<string>();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;

  const draw = (): void => {
    const line = `${FRAMES[frame % FRAMES.length] ?? ''} running: ${[...pending].join(', ')} (${all.length - pending.size}/${all.length} done)`;
    // A line wider than the terminal wraps, and `\r` then only redraws its last row.
    const width = stream.columns ? stream.columns - 1 : Infinity;
    stream.write(CLEAR_LINE + (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line));
    drawn = true;
  };

  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (drawn) stream.write(CLEAR_LINE);
    drawn = false;
  };

  return {
    start(ids) {
      stop();
      all = [...ids];
      pending.clear();
      for (const id of ids) pending.add(id);
      frame = 0;
      draw();
      timer = setInterval(() => {
        frame++;
        draw();
      }, FRAME_MS);
      // A spinner must never be what keeps the process alive.
      timer.unref();
    },
    done(id) {
      if (timer && pending.delete(id)) draw();
    },
    stop,
  };
}
