import type { Context, Role } from '../context.js';
import type { Phase } from '../plan.js';
import type { PairRead } from './facts-of.js';

// The pair's phase: before deploy (a server known from configuration only, not running yet) or
// live (running servers answer). What only a running server can answer is skipped before deploy,
// saying what will be checked once it runs; `--phase live` insists on running servers, and those
// checks then say unknown as for any fact not obtained.

export interface PhaseRead {
  local: Phase;
  partner: Phase;
  /** Before deploy when either server is. */
  pair: Phase;
  /** --phase was given: the user decided, the sources did not. */
  given: boolean;
}

export function phaseOf(ctx: Context, read: Pick<PairRead, 'local' | 'partner'>): PhaseRead {
  const given = ctx.plan.phase;
  const of = (role: Role): Phase => given ?? (read[role].facts?.running === false ? 'before-deploy' : 'live');
  const local = of('local');
  const partner = of('partner');
  return { local, partner, pair: local === 'before-deploy' || partner === 'before-deploy' ? 'before-deploy' : 'live', given: given !== undefined };
}

/** What a check that only a running server answers says under --phase live about a configuration-only server. */
export function liveInsisted(ctx: Context, read: Pick<PairRead, 'local' | 'partner'>, role: Role): string | undefined {
  return ctx.plan.phase === 'live' && read[role].facts?.running === false
    ? `--phase live: ${read[role].facts!.source} describes a ${role} server that is not running (configuration only)`
    : undefined;
}
