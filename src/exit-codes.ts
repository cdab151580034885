import type { Status } from './checks/ids.js';

/** The process exit codes, documented in README and --help. */
export const EXIT = {
  ok: 0, // every selected check passed or warned
  failed: 1, // at least one check failed
  usage: 2, // invalid invocation, config or input file: nothing was checked
  unknown: 3, // nothing failed, but at least one check could not be determined
  internal: 4, // a bug in this tool (one line; the stack with DEBUG=1)
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(statuses: readonly Status[]): number {
  if (statuses.includes('fail')) return EXIT.failed;
  if (statuses.includes('unknown')) return EXIT.unknown;
  return EXIT.ok;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  every selected check passed or warned
  1  at least one check failed
  2  invalid invocation, config or input file (nothing was checked)
  3  nothing failed, but at least one check could not be determined (unknown)
  4  internal error (a bug; DEBUG=1 shows the stack)
  130/143  interrupted by SIGINT/SIGTERM`;
