import { setMaxListeners } from 'node:events';
import { createContext } from './context.js';
import type { Plan } from './plan.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';
import { runChecks, type RunHooks } from './runner.js';

/**
 * One run of a validated plan, shared by the CLI and the library: it prints nothing and exits
 * nothing, so each caller decides where the report goes. `exitOverride` lets the CLI report an
 * interruption as 130/143 while the results gathered so far still appear.
 */
export async function runPairing(plan: Plan, signal: AbortSignal, hooks: RunHooks = {}, exitOverride?: () => number | undefined): Promise<Report> {
  // Every probe listens for the abort; nine checks with several probes each exceed the default 10.
  setMaxListeners(100, signal);
  const started = new Date();
  const ctx = createContext(plan, signal);
  await ctx.loadFileSources();
  const results = await runChecks(ctx, hooks);
  const partnerAddress = await ctx.partner().catch(() => undefined);
  return buildReport(plan, partnerAddress, results, started, exitOverride?.());
}
