import type { Command } from 'commander';
import { ALL_OPTIONS, PLAN_COMMAND_OPTIONS, longFlag } from '../options.js';

/** Which of the global options a plan takes, and where the per-server and per-pairing ones go. */
function planHelp(): string {
  const global = ALL_OPTIONS.filter((o) => o.scope === 'global' && o.flags).map((o) => longFlag(o)!);
  const server = [...new Set(ALL_OPTIONS.filter((o) => o.scope === 'server').map((o) => o.serverKey!))];
  const pairing = ALL_OPTIONS.filter((o) => o.scope === 'pairing').map((o) => o.key);
  return [
    '',
    "Every pairing takes these options (before or after `plan`; they override the file's `options:`):",
    `  ${global.join(' ')}`,
    `Each server says its own ${server.join(', ')} (servers.<name>.<key>), each pairing its own ${pairing.join(', ')};`,
    `their flags (${ALL_OPTIONS.filter((o) => o.scope !== 'global' && o.flags)
      .map((o) => longFlag(o))
      .join(' ')}) are refused with a plan.`,
  ].join('\n');
}

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
    .option(PLAN_COMMAND_OPTIONS[0]!.flags!, PLAN_COMMAND_OPTIONS[0]!.description)
    .addHelpText('after', planHelp())
    .action((file: string, opts: { concurrency?: string }) => onPlan({ file, ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}) }));
}
