import type { Context, DirectoryFacts, PartnerAddress, Role } from '../context.js';
import type { ServerFacts } from '../facts.js';
import { DIRECTORY_PLATFORM, pairPlatform, type Pair, type PlatformModule } from '../platforms/index.js';
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

export interface PairRead {
  local: FactsRead;
  partner: FactsRead;
  address: PartnerAddress;
  /** What the platform judges. */
  pair: Pair;
  /** The platform that judges this pair (see pairPlatform). */
  platform: PlatformModule;
  /** Whether --ldap is worth advising for this pair (never to a pair of a platform without a directory). */
  directoryMayTell: boolean;
  /** Why the two cannot pair at all (servers of two platforms that speak different protocols). */
  mixed?: string;
}

/** Both servers' facts and the platform that judges them; every part memoised by the context. */
export async function pairOf(ctx: Context): Promise<PairRead> {
  const [local, partner, address] = await Promise.all([factsOf(ctx, 'local'), factsOf(ctx, 'partner'), ctx.partner()]);
  const hints = ctx.sourceHints();
  // A directory (--ldap) describes the servers of the platform it authorizes.
  const { platform, mixed, sides } = pairPlatform(
    { ...(local.facts ? { facts: local.facts } : {}), ...(hints.local.platform ? { implied: hints.local.platform } : {}) },
    { ...(partner.facts ? { facts: partner.facts } : {}), ...(hints.partner.platform ? { implied: hints.partner.platform } : {}) },
    ctx.plan.ldap ? DIRECTORY_PLATFORM : undefined,
  );
  const pair: Pair = {
    ...(local.facts ? { local: local.facts } : {}),
    ...(partner.facts ? { partner: partner.facts } : {}),
    ...(address.address ? { partnerAddress: address.address } : {}),
    ...(hints.partner.endpoint ? { partnerEndpoint: hints.partner.endpoint } : {}),
    ...(ctx.plan.relationshipName !== undefined ? { relationshipName: ctx.plan.relationshipName } : {}),
  };
  // A directory is advice only where the pair's platform is authorized in one, or nothing shows the platform.
  const directoryMayTell = platform.directoryAuthorization || ((sides.local ?? 'other') === 'other' && (sides.partner ?? 'other') === 'other');
  return { local, partner, address, pair, platform, directoryMayTell, ...(mixed ? { mixed } : {}) };
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
