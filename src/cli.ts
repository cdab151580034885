import { writeSync } from 'node:fs';
import { packageInfo } from './util/package-info.js';
import { guardStdout, writeStdout } from './util/stdout.js';

// The entry turns every outcome into an exit code (like changesets' CLI). Heavy modules load
// only after the cheap paths (--version) are handled, to keep cold start close to bare node.

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return printVersion();
  guardStdout();
  const code = await dispatch(argv);
  // --help, --version and `schema` write through commander or directly: say once if it was lost.
  const lost = await writeStdout('');
  if (lost === undefined) return code;
  process.stderr.write(`dhcp-failover-check: cannot write to stdout (${lost})\n`);
  return code === 0 ? 2 : code;
}

/**
 * Straight to fd 1: creating process.stdout (a tty or pipe stream) costs more than the rest of
 * `--version`. A closed pipe is quiet, as for every other output.
 */
function printVersion(): number {
  const text = `${packageInfo().version}\n`;
  try {
    writeSync(1, text);
    return 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return 0;
    // A non-blocking pipe that is full: let the stream wait for it.
    if (code === 'EAGAIN') {
      guardStdout();
      process.stdout.write(text);
      return 0;
    }
    process.stderr.write(`dhcp-failover-check: cannot write to stdout (${code ?? (err as Error).message})\n`);
    return 2;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const { wantsNagios, run } = await import('./command.js');
  // A monitoring plugin answers UNKNOWN (3) for whatever is not a verdict on the servers.
  let nagios = wantsNagios(argv);
  try {
    return await run(argv, (format) => (nagios = format === 'nagios'));
  } catch (err) {
    const { InputError } = await import('./util/errors.js');
    const input = err instanceof InputError;
    if (nagios && input) process.stdout.write(`DHCP FAILOVER UNKNOWN - ${oneLine((err as Error).message)}\n`);
    const code = reportError(err, input, (text) => process.stderr.write(text), process.env.DEBUG !== undefined && process.env.DEBUG !== '');
    return nagios ? 3 : code;
  }
}

/**
 * One line on stderr for anything that escaped the run: a user's mistake is exit 2; anything
 * else is a bug in this tool, exit 4 (not 3, which means "a prerequisite was undetermined"),
 * with the stack only when DEBUG asks for it.
 */
export function reportError(err: unknown, isInputError: boolean, write: (text: string) => void, debug: boolean): number {
  const text = oneLine(err instanceof Error ? err.message : String(err));
  if (isInputError) {
    write(`dhcp-failover-check: ${text}\n`);
    return 2;
  }
  write(`dhcp-failover-check: internal error: ${text}\n`);
  if (debug && err instanceof Error && err.stack) write(`${err.stack}\n`);
  return 4;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
