import { packageInfo } from './util/package-info.js';

// The entry turns every outcome into an exit code (like changesets' CLI). Heavy modules load
// only after the cheap paths (--version) are handled, to keep cold start close to bare node.

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  const { InputError } = await import('./util/errors.js');
  try {
    return await (await import('./command.js')).run(argv);
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`dhcp-failover-check: ${oneLine(err.message)}\n`);
      return 2;
    }
    // A bug, not a user error: say so in one line; the stack only when asked for.
    process.stderr.write(`dhcp-failover-check: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 4;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
