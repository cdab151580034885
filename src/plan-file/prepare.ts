import { buildPlan, type BuildEnv } from '../config.js';
import type { ConfigInput } from '../config-schema.js';
import type { Plan } from '../plan.js';
import { InputError } from '../util/errors.js';
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

/** --concurrency: undefined checks every pairing at once. */
export function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,4}$/.test(text) || n < 1 || n > 1000) throw new InputError(`--concurrency: "${text}" is not a whole number from 1 to 1000`);
  return n;
}

/** Merges plan options under the command line's and builds each pairing's settings (InputError naming the pairing). */
export function preparePlan(loaded: LoadedPlan, cli: ConfigInput, env: BuildEnv, concurrency?: number): Plan {
  for (const [key, flag] of Object.entries(PER_PAIR)) {
    if (cli[key as keyof ConfigInput] !== undefined) throw new InputError(`plan: ${flag} cannot be used with a plan file (its servers and pairings say it)`);
  }
  const merged: ConfigInput = { ...loaded.options };
  for (const [k, v] of Object.entries(cli)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  if (loaded.options.kea && cli.kea) merged.kea = { ...loaded.options.kea, ...cli.kea };
  if (loaded.options.ldap && cli.ldap) merged.ldap = { ...loaded.options.ldap, ...cli.ldap };
  const built = loaded.pairings.map((p, i) => {
    const local = loaded.servers.get(p.local)!;
    const partner = loaded.servers.get(p.partner)!;
    try {
      return buildPlan(
        { ...merged, partner: partner.address, local: local.address, localSource: local.source, partnerSource: partner.source, localNtp: local.ntp, partnerNtp: partner.ntp, localSmb: local.smb, partnerSmb: partner.smb, scopes: p.scopes },
        env,
      );
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`${loaded.path}: pairings.${i} (${p.local} -> ${p.partner}): ${err.message}`);
      throw err;
    }
  });
  const { format, outputs, color, quiet, verbose } = built[0]!;
  return {
    file: loaded.path,
    pairings: built.map(({ format: _f, outputs: _o, color: _c, quiet: _q, verbose: _v, ...plan }, i) => {
      const p = loaded.pairings[i]!;
      return { local: { name: p.local, address: loaded.servers.get(p.local)!.address }, partner: { name: p.partner, address: loaded.servers.get(p.partner)!.address }, plan };
    }),
    output: { format, outputs, color, quiet, verbose },
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}
