import { packageInfo } from './util/package-info.js';

// The entry turns every outcome into an exit code (like changesets' CLI). Heavy modules load
// only after the cheap paths (--version) are handled, to keep cold start close to bare node.

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  try {
    return await (await import('./command.js')).run(argv);
  } catch (err) {
    const { InputError } = await import('./util/errors.js');
    return reportError(err, err instanceof InputError, (text) => process.stderr.write(text), process.env.DEBUG !== undefined && process.env.DEBUG !== '');
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
