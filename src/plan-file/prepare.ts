import { buildPlan, type BuildEnv } from '../config.js';
import { ALL_OPTIONS, flagOf, optionOf, type ConfigInput } from '../options.js';
import { keysSet, mergeLayers, type Label, type Merged } from '../options-merge.js';
import type { Plan, ResolvedOptions } from '../plan.js';
import { InputError } from '../util/errors.js';
import type { LoadedPlan } from './load.js';

type Layer = { options: ConfigInput; label: Label };

/** The most pairings --concurrency may work on at once (README: Limits). */
export const MAX_CONCURRENCY = 1000;

/** --concurrency: undefined leaves it to the runner's default. */
export function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,4}$/.test(text) || n < 1 || n > MAX_CONCURRENCY)
    throw new InputError(`--concurrency: "${text}" is not a whole number from 1 to ${MAX_CONCURRENCY}`);
  return n;
}

/**
 * Each pairing's settings: its servers' and its own keys, over the plan's `options`, under the
 * command line's. Every error names where its value came from (the flag, or the plan file and
 * path); one that no single value caused names the pairing.
 */
export async function preparePlan(loaded: LoadedPlan, cli: Merged, env: BuildEnv, concurrency?: number): Promise<Plan> {
  for (const key of keysSet(cli.options as Record<string, unknown>)) {
    if (optionOf(key)?.scope !== 'global') throw new InputError(`plan: ${flagOf(key)} cannot be used with a plan file (its servers and pairings say it)`);
  }
  const options: Layer = { options: loaded.options, label: (key) => `${loaded.path}: options.${key}` };
  const shared = { ...env, secretsRead: env.secretsRead ?? new Map<string, Promise<string>>() };
  const built: ResolvedOptions[] = [];
  for (const [i, p] of loaded.pairings.entries()) {
    const ofServer = (name: string, role: 'local' | 'partner'): Layer => {
      const server = loaded.servers.get(name)! as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const paths = new Map<string, string>();
      for (const o of ALL_OPTIONS) {
        if (o.scope !== 'server' || o.role !== role || server[o.serverKey!] === undefined) continue;
        out[o.key] = server[o.serverKey!];
        paths.set(o.key, `servers.${name}.${o.serverKey!}`);
      }
      return { options: out as ConfigInput, label: (key) => `${loaded.path}: ${paths.get(key) ?? key}` };
    };
    const own: Layer = { options: (p.scopes === undefined ? {} : { scopes: p.scopes }) as ConfigInput, label: (key) => `${loaded.path}: pairings.${i}.${key}` };
    const merged = mergeLayers([options, ofServer(p.local, 'local'), ofServer(p.partner, 'partner'), own, cli]);
    try {
      built.push(await buildPlan(merged.options, { ...shared, label: merged.label }));
    } catch (err) {
      if (err instanceof InputError && !err.message.startsWith(loaded.path))
        throw new InputError(`${loaded.path}: pairings.${i} (${p.local} -> ${p.partner}): ${err.message}`);
      throw err;
    }
  }
  const { format, outputs, color, quiet, verbose } = built[0]!;
  return {
    file: loaded.path,
    pairings: built.map(({ format: _f, outputs: _o, color: _c, quiet: _q, verbose: _v, ...plan }, i) => {
      const p = loaded.pairings[i]!;
      return {
        local: { name: p.local, address: loaded.servers.get(p.local)!.address },
        partner: { name: p.partner, address: loaded.servers.get(p.partner)!.address },
        plan,
      };
    }),
    output: { format, outputs, color, quiet, verbose },
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}
