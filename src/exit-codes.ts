import type { Status } from './checks/types.js';

/** The process exit codes, documented in README and --help. */
export const EXIT = {
  ok: 0, // every selected check passed or warned
  failed: 1, // at least one check failed
  usage: 2, // invalid invocation, config or input file: nothing was checked
  unknown: 3, // nothing failed, but at least one check could not be determined
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
  130/143  interrupted by SIGINT/SIGTERM`;
