import { packageInfo } from './util/package-info.js';
import { oneLine } from './util/one-line.js';
import { queueStdout, writeStdout } from './util/stdout.js';

// The entry turns every outcome into an exit code (like changesets' CLI). Heavy modules load
// only after the cheap paths (--version) are handled, to keep cold start close to bare node.

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return stdoutLost(await writeStdout(`${packageInfo().version}\n`), 0);
  const code = await dispatch(argv);
  // --help and `schema` write through commander or directly: say once if it was lost.
  return stdoutLost(await writeStdout(''), code);
}

/** Says once that stdout could not be written; a run that had nothing else to say exits 2. */
function stdoutLost(lost: string | undefined, code: number): number {
  if (lost === undefined) return code;
  process.stderr.write(`dhcp-failover-check: cannot write to stdout (${lost})\n`);
  return code === 0 ? 2 : code;
}

async function dispatch(argv: string[]): Promise<number> {
  const [{ formatIn, run }, { registerUserinfo }] = await Promise.all([import('./command.js'), import('./util/secrets.js')]);
  // Any `//user:password@` in the arguments is a secret from here on, whether or not it parses.
  for (const arg of argv) registerUserinfo(arg);
  // The format answers a bad invocation in its own way too (nagios: UNKNOWN, exit 3).
  let format = formatIn(argv);
  try {
    return await run(argv, (f) => (format = f));
  } catch (err) {
    const [{ InputError }, { formats }] = await Promise.all([import('./util/errors.js'), import('./report/index.js')]);
    const input = err instanceof InputError;
    const module = format !== undefined && Object.hasOwn(formats, format) ? await formats[format as keyof typeof formats]() : undefined;
    if (input && module?.usageLine) queueStdout(module.usageLine(oneLine((err as Error).message)));
    const code = reportError(err, input, (text) => process.stderr.write(text), process.env.DEBUG !== undefined && process.env.DEBUG !== '');
    return module?.usageExitCode ?? code;
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
  // Runtime wording never reaches a user: a stack overflow is a reader that recursed (a bug).
  const said = err instanceof RangeError && /call stack/i.test(err.message) ? 'an input nested too deeply for a reader (please report this)' : text;
  write(`dhcp-failover-check: internal error: ${said}\n`);
  if (debug && err instanceof Error && err.stack) write(`${err.stack}\n`);
  return 4;
}
