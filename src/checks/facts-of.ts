import type { Context, Role } from '../context.js';
import type { ServerFacts } from '../facts.js';
import type { DirectoryFacts } from '../probes/ldap.js';
import { errorText } from '../util/errors.js';

export type FactsRead = { facts: ServerFacts; error?: undefined } | { facts?: undefined; error: string };

/** A server's facts, or why there are none, so a check can say "unknown" with the cause. */
export async function factsOf(ctx: Context, role: Role): Promise<FactsRead> {
  try {
    const facts = await ctx.facts(role);
    if (facts) return { facts };
    return { error: `no source for the ${role} server (use --${role}-source)` };
  } catch (err) {
    return { error: `${role} source: ${errorText(err)}` };
  }
}

/** What the sources noticed (a 401, a missing configuration): the cause behind an unknown. */
export function sourceNotes(...reads: FactsRead[]): { sourceNotes?: string[] } {
  const notes = reads.flatMap((r) => r.facts?.notes ?? []);
  return notes.length > 0 ? { sourceNotes: notes } : {};
}

export type DirectoryRead = { facts?: DirectoryFacts; error?: string };

/** The directory's answers; `{}` when no --ldap was given, `error` when it could not be asked. */
export async function directoryOf(ctx: Context): Promise<DirectoryRead> {
  try {
    const facts = await ctx.directory();
    return facts ? { facts } : {};
  } catch (err) {
    return { error: `directory: ${errorText(err)}` };
  }
}
