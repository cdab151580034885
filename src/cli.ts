import { packageInfo } from './util/package-info.js';
import { guardStdout, writeStdout } from './util/stdout.js';

// The entry turns every outcome into an exit code (like changesets' CLI). Heavy modules load
// only after the cheap paths (--version) are handled, to keep cold start close to bare node.

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const code = await dispatch(argv);
  // --help, --version and `schema` write through commander or directly: say once if it was lost.
  const lost = await writeStdout('');
  if (lost === undefined) return code;
  process.stderr.write(`dhcp-failover-check: cannot write to stdout (${lost})\n`);
  return code === 0 ? 2 : code;
}

async function dispatch(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  const { InputError } = await import('./util/errors.js');
  const { wantsNagios, run } = await import('./command.js');
  // A monitoring plugin answers UNKNOWN (3) for whatever is not a verdict on the servers.
  const nagios = wantsNagios(argv);
  try {
    return await run(argv);
  } catch (err) {
    if (err instanceof InputError) {
      if (nagios) process.stdout.write(`DHCP FAILOVER UNKNOWN - ${oneLine(err.message)}\n`);
      process.stderr.write(`dhcp-failover-check: ${oneLine(err.message)}\n`);
      return nagios ? 3 : 2;
    }
    // A bug, not a user error: say so in one line; the stack only when asked for.
    process.stderr.write(`dhcp-failover-check: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return nagios ? 3 : 4;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 500);
}
