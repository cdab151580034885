import { buildPlan, type BuildEnv } from '../config.js';
import type { ConfigInput } from '../config-schema.js';
import { createContext, type Context, type Role } from '../context.js';
import type { Relationship } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import type { Plan } from '../plan.js';
import { buildReport } from '../report/build.js';
import type { PlanPairingResult } from '../report/plan-types.js';
import { runChecks } from '../runner.js';
import { InputError } from '../util/errors.js';
import { plannedRelationships, withPlanned } from './budget.js';
import type { LoadedPlan } from './load.js';

/** The per-pair keys a plan's servers and pairings give; on the command line they would be ambiguous. */
const PER_PAIR: Partial<Record<keyof ConfigInput, string>> = {
  partner: '<partner>',
  scopes: '--scope',
  local: '--local',
  localSource: '--local-source',
  partnerSource: '--partner-source',
  localNtp: '--local-ntp',
  partnerNtp: '--partner-ntp',
  localSmb: '--local-smb',
  partnerSmb: '--partner-smb',
};

export const DEFAULT_CONCURRENCY = 8;

/** A plan file turned into one validated single-pair Plan per pairing. */
export interface PreparedPlan {
  loaded: LoadedPlan;
  plans: Plan[];
}

/** Merges plan options under the command line's and builds each pairing's Plan (InputError naming the pairing). */
export async function preparePlan(loaded: LoadedPlan, cli: ConfigInput, env: BuildEnv): Promise<PreparedPlan> {
  for (const [key, flag] of Object.entries(PER_PAIR)) {
    if (cli[key as keyof ConfigInput] !== undefined) throw new InputError(`plan: ${flag} cannot be used with a plan file (its servers and pairings say it)`);
  }
  const merged: ConfigInput = { ...loaded.options };
  for (const [k, v] of Object.entries(cli)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  if (loaded.options.kea && cli.kea) merged.kea = { ...loaded.options.kea, ...cli.kea };
  if (loaded.options.ldap && cli.ldap) merged.ldap = { ...loaded.options.ldap, ...cli.ldap };
  const shared = { ...env, secretsRead: env.secretsRead ?? new Map<string, Promise<string>>() };
  const plans: Plan[] = [];
  for (const [i, p] of loaded.pairings.entries()) {
    const local = loaded.servers.get(p.local)!;
    const partner = loaded.servers.get(p.partner)!;
    try {
      plans.push(
        await buildPlan(
          { ...merged, partner: partner.address, local: local.address, localSource: local.source, partnerSource: partner.source, localNtp: local.ntp, partnerNtp: partner.ntp, localSmb: local.smb, partnerSmb: partner.smb, scopes: p.scopes },
          shared,
        ),
      );
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`${loaded.path}: pairings.${i} (${p.local} -> ${p.partner}): ${err.message}`);
      throw err;
    }
  }
  return { loaded, plans };
}

export interface RunPlanHooks {
  concurrency?: number;
  onStart?(labels: string[]): void;
  onDone?(label: string): void;
}

export const pairingLabel = (p: { local: string; partner: string }, i: number): string => `${i + 1}:${p.local}->${p.partner}`;

/**
 * Runs every pairing, at most `concurrency` at once, sharing one memo: each server's facts are
 * fetched once and each clock read once for the whole plan. Results come back in file order;
 * pairings not started before an abort are left out (what finished is still reported).
 */
export async function runPlan(prepared: PreparedPlan, signal: AbortSignal, hooks: RunPlanHooks = {}): Promise<PlanPairingResult[]> {
  const { loaded, plans } = prepared;
  const { pairings } = loaded;
  const memo = new Map<string, Promise<unknown>>();
  const contexts = pairings.map((p, i) => createContext(plans[i]!, signal, { memo, servers: { local: p.local, partner: p.partner } }));
  // File sources first and one after another, as a single run does: parsing is synchronous, and
  // a bad file is exit 2 before anything is probed. The memo makes each file read once.
  for (const ctx of contexts) await ctx.loadFileSources();

  const addressOf = (name: string) => loaded.servers.get(name)!.address;
  // What pairing j shares: the scopes it names, else every scope of its local server.
  const scopeIds = pairings.map((_, j) => {
    let ids: Promise<string[]> | undefined;
    return () =>
      (ids ??= (async () => {
        const requested = plans[j]!.scopes;
        if (requested) return requested.map((s) => formatIPv4(s.network));
        const facts = await contexts[j]!.facts('local').catch(() => undefined);
        return (facts?.scopes ?? []).map((s) => formatIPv4(s.network));
      })());
  });
  const wrapped = contexts.map((base, i): Context => {
    const planned = new Map<Role, Promise<Relationship[]>>();
    const plannedOf = (role: Role) => {
      let p = planned.get(role);
      if (!p) {
        const server = role === 'local' ? pairings[i]!.local : pairings[i]!.partner;
        p = (async () => {
          const ids = await Promise.all(pairings.slice(0, i).map((q, j) => (q.local === server || q.partner === server ? scopeIds[j]!() : Promise.resolve([]))));
          return plannedRelationships(pairings, i, server, addressOf, ids);
        })();
        planned.set(role, p);
      }
      return p;
    };
    return { ...base, facts: async (role: Role) => withPlanned(await base.facts(role), await plannedOf(role)) };
  });

  const labels = pairings.map(pairingLabel);
  hooks.onStart?.(labels);
  const results: (PlanPairingResult | undefined)[] = new Array(pairings.length);
  let next = 0;
  const worker = async () => {
    while (next < pairings.length && !signal.aborted) {
      const i = next++;
      const p = pairings[i]!;
      const started = new Date();
      const checks = await runChecks(wrapped[i]!);
      const address = await wrapped[i]!.partner().catch(() => undefined);
      results[i] = {
        local: { name: p.local, address: addressOf(p.local) },
        partner: { name: p.partner, address: addressOf(p.partner) },
        report: buildReport(plans[i]!, address, checks, started),
      };
      hooks.onDone?.(labels[i]!);
    }
  };
  const width = Math.max(1, Math.min(hooks.concurrency ?? DEFAULT_CONCURRENCY, pairings.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results.filter((r): r is PlanPairingResult => r !== undefined);
}
