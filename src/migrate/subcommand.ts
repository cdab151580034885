import type { Command } from 'commander';
import { MIGRATE_COMMAND_OPTIONS, attributeOf } from '../options.js';

// Only the subcommand's declaration: the migration machinery loads when `migrate` is actually run.

/** What `migrate` was given, as strings; validated when it runs (migrate/run.ts). */
export type MigrateRequest = Partial<Record<'from' | 'to' | 'haPort' | 'names' | 'hooksDir' | 'outDir' | 'merge', string>>;

const HELP = `
Prints the Kea HA section (hook entries and the high-availability relationship) that keama leaves
out, for each server of a dhcpd failover pair; with --to, checks that the Kea pair serves what the
dhcpd pair served. Exit codes: 0 written (and, with --to, the Kea pair serves at least as much);
1 the dhcpd pair is inconsistent, or the Kea pair serves less or fails a pair rule; 2 bad input.`;

export function addMigrateCommand(cmd: Command, onMigrate: (request: MigrateRequest) => void): void {
  const sub = cmd.command('migrate').description('from a dhcpd failover pair to a Kea HA pair: the HA section keama leaves out, and a check of the new pair');
  for (const o of MIGRATE_COMMAND_OPTIONS) sub.option(o.flags!, o.description);
  sub.addHelpText('after', HELP).action((opts: Record<string, string | undefined>) => {
    const request: MigrateRequest = {};
    for (const o of MIGRATE_COMMAND_OPTIONS) {
      const key = attributeOf(o) as keyof MigrateRequest;
      const v = opts[key];
      if (v !== undefined) request[key] = v;
    }
    onMigrate(request);
  });
}
