import { createContext, type Context, type Role } from './context.js';
import type { Relationship } from './facts.js';
import { formatIPv4 } from './net/ipv4.js';
import { plannedRelationships, withPlanned } from './plan-file/budget.js';
import type { Plan, PlannedPairing } from './plan.js';
import { buildReport, buildRunReport } from './report/build.js';
import type { PairingResult, RunReport } from './report/types.js';
import { runChecks, type RunHooks } from './runner.js';
import { pairOf } from './checks/facts-of.js';
import { phaseOf } from './checks/phase.js';

// The one runner: a single run, a plan file and preflight() all come here with a Plan.

export interface RunPlanHooks {
  /** Labels of what will be reported done: the checks of a single run, the pairings of a plan. */
  onStart?(labels: string[]): void;
  onDone?(label: string): void;
}

export const pairingLabel = (p: PlannedPairing, i: number): string => `${i + 1}:${p.local.name}->${p.partner.name}`;

/** Pairings worked on at once by default: enough to keep two cores busy judging. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * How long a pairing may hold a worker. Judging takes milliseconds; a pairing still running after
 * this waits on its servers (a silent partner's probes run to --timeout), and keeps its sockets
 * but gives its worker to the next pairing.
 */
const YIELD_MS = 200;

/**
 * Runs every pairing of the plan and returns the report tree. Pairings share one memo keyed by
 * server name, so each server's facts are fetched once and each clock read once. At most
 * `plan.concurrency` pairings are worked on at once, and one that waits on the network yields
 * its place (YIELD_MS), so fifty silent partners cost fifty waiting sockets, not fifty workers.
 * Results keep the plan's order; pairings not started before an abort are left out (what
 * finished is still reported). `exitOverride` is the interrupt's 130/143, given to what ended
 * after it.
 */
export async function runPlan(plan: Plan, signal: AbortSignal, hooks: RunPlanHooks = {}, exitOverride?: () => number | undefined): Promise<RunReport> {
  const started = new Date();
  const { pairings } = plan;
  const single = plan.file === null && pairings.length === 1;
  const memo = new Map<string, Promise<unknown>>();
  // A single run keys facts by role: its two servers may be given the same name.
  const contexts = pairings.map((p) => createContext(p.plan, signal, single ? undefined : { memo, servers: { local: p.local.name, partner: p.partner.name } }));
  // File sources first and one after another: parsing is synchronous, and a bad file is exit 2
  // before anything is probed. The memo makes each file read once.
  for (const ctx of contexts) await ctx.loadFileSources();
  const wrapped = single ? contexts : withPlannedRelationships(plan, contexts);

  const checkHooks: RunHooks = single ? { onStart: (ids) => hooks.onStart?.(ids), onDone: (r) => hooks.onDone?.(r.id) } : {};
  const labels = pairings.map(pairingLabel);
  if (!single) hooks.onStart?.(labels);
  const results: (PairingResult | undefined)[] = new Array(pairings.length);
  const runOne = async (i: number) => {
    const p = pairings[i]!;
    const pairingStarted = new Date();
    const checks = await runChecks(wrapped[i]!, checkHooks);
    const address = await wrapped[i]!.partner().catch(() => undefined);
    // Memoised: the checks have read both servers' facts already.
    const phase = await pairOf(wrapped[i]!).then(
      (read) => phaseOf(wrapped[i]!, read).pair,
      () => 'live' as const,
    );
    results[i] = { local: p.local, partner: p.partner, report: buildReport(p.plan, address, checks, pairingStarted, exitOverride?.(), phase) };
    if (!single) hooks.onDone?.(labels[i]!);
  };
  const running: Promise<void>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pairings.length && !signal.aborted) {
      const done = runOne(next++);
      running.push(done);
      await yieldAfter(done, YIELD_MS);
    }
  };
  const width = Math.max(1, Math.min(plan.concurrency ?? DEFAULT_CONCURRENCY, pairings.length));
  await Promise.all(Array.from({ length: width }, worker));
  await Promise.all(running);
  return buildRunReport(
    plan.file,
    results.filter((r): r is PairingResult => r !== undefined),
    started,
    exitOverride?.(),
  );
}

/** Resolves when `work` ends or `ms` have passed, whichever is first; the timer never outlives it. */
async function yieldAfter(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pairing i sees the relationships its servers already have plus those the plan's earlier
 * pairings will create on them (plan-file/budget.ts), handed to the checks as facts.
 */
function withPlannedRelationships(plan: Plan, contexts: Context[]): Context[] {
  const { pairings } = plan;
  const planPairings = pairings.map((p) => ({ local: p.local.name, partner: p.partner.name }));
  const addressOf = new Map(pairings.flatMap((p) => [[p.local.name, p.local.address] as const, [p.partner.name, p.partner.address] as const]));
  // What pairing j shares: the scopes it names, else every scope of its local server.
  const scopeIds = pairings.map((_, j) => {
    let ids: Promise<string[]> | undefined;
    return () =>
      (ids ??= (async () => {
        const requested = pairings[j]!.plan.scopes;
        if (requested) return requested.map((s) => formatIPv4(s.network));
        const facts = await contexts[j]!.facts('local').catch(() => undefined);
        return (facts?.scopes ?? []).map((s) => formatIPv4(s.network));
      })());
  });
  return contexts.map((base, i): Context => {
    const planned = new Map<Role, Promise<Relationship[]>>();
    const plannedOf = (role: Role) => {
      let p = planned.get(role);
      if (!p) {
        const server = role === 'local' ? pairings[i]!.local.name : pairings[i]!.partner.name;
        p = (async () => {
          const ids = await Promise.all(
            planPairings.slice(0, i).map((q, j) => (q.local === server || q.partner === server ? scopeIds[j]!() : Promise.resolve([]))),
          );
          return plannedRelationships(planPairings, i, server, (name) => addressOf.get(name) ?? name, ids);
        })();
        planned.set(role, p);
      }
      return p;
    };
    return { ...base, facts: async (role: Role) => withPlanned(await base.facts(role), await plannedOf(role)) };
  });
}
