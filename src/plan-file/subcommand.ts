import type { Command } from 'commander';

// Only the subcommand's declaration: the plan machinery loads when `plan` is actually run.

export interface PlanRequest {
  file: string;
  /** --concurrency as given; validated when the plan runs. */
  concurrency?: string;
}

export function addPlanCommand(cmd: Command, onPlan: (request: PlanRequest) => void): void {
  cmd
    .command('plan <file>')
    .description('check every pairing of a plan file (JSON or YAML; see `schema plan`) at once')
    .option('--concurrency <n>', 'at most this many pairings checked at the same time (default: all; a pairing waits on sockets, not on a worker)')
    .action((file: string, opts: { concurrency?: string }) => onPlan({ file, ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}) }));
}
