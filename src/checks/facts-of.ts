import type { Context, DirectoryFacts, PartnerAddress, Role } from '../context.js';
import type { ServerFacts } from '../facts.js';
import { DIRECTORY_PLATFORM, pairPlatform, type Pair, type PlatformModule } from '../platforms/index.js';
import { errorText } from '../util/errors.js';

export type FactsRead =
  | { facts: ServerFacts; error?: undefined; failed?: undefined }
  /** `failed`: a source was given and could not be read (`error` says why); absent: none was given. */
  | { facts?: undefined; error: string; failed?: true };

/** A server's facts, or why there are none, so a check can say "unknown" with the cause. */
export async function factsOf(ctx: Context, role: Role): Promise<FactsRead> {
  try {
    const facts = await ctx.facts(role);
    if (facts) return { facts };
    return { error: `no source for the ${role} server (use --${role}-source)` };
  } catch (err) {
    return { error: `${role} source: ${errorText(err)}`, failed: true };
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

const pairs = new WeakMap<Context, Promise<PairRead>>();

/**
 * Both servers' facts and the platform that judges them. Read once per context: every check asks,
 * and the answer, made of memoised parts, is the same for each (a shared value: read it, never change it).
 */
export function pairOf(ctx: Context): Promise<PairRead> {
  let read = pairs.get(ctx);
  if (!read) {
    read = readPair(ctx);
    pairs.set(ctx, read);
  }
  return read;
}

async function readPair(ctx: Context): Promise<PairRead> {
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

/** The sources that could have told a fact a check lacks: a server's (by role) and the directory. */
export interface Tellers {
  local?: FactsRead;
  partner?: FactsRead;
  directory?: DirectoryRead;
}

/** A platform verdict's details with what the two sources noticed, and either one's failure. */
export function pairDetails(read: Pick<PairRead, 'local' | 'partner'>, details: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...details,
    ...sourceNotes(read.local, read.partner),
    ...(read.local.error ? { local: read.local.error } : {}),
    ...(read.partner.error ? { partner: read.partner.error } : {}),
  };
}

/**
 * An outcome's evidence and fix when the facts are not known: the given sources that failed (or
 * refused) and what to do about them, before `advice` (the platform's, for when none failed).
 */
export function unreadEvidence(read: Pick<PairRead, 'local' | 'partner'>, advice?: string): { evidence?: string[]; fix?: string } {
  const why = unread({ local: read.local, partner: read.partner });
  const fix = why.fix ?? advice;
  return { ...(why.causes.length > 0 ? { evidence: why.causes } : {}), ...(fix ? { fix } : {}) };
}

export interface Unread {
  /** One line per given source that failed ("partner source: …", "directory: …") or refused to tell. */
  causes: string[];
  /** What to do about those causes; undefined when there are none (then, and only then, a check advises giving a source). */
  fix?: string;
}

/**
 * Why the sources that could tell a fact did not. A source that was given and failed (a partner
 * agent that refused the connection, a directory whose bind failed) is named with its error, and
 * so is one that answered and refused to tell (an agent's "not allowed": its `refused`); the fix
 * addresses that failure. Advice to give a source is for when none was given, or the one given
 * read fine and simply does not hold the fact. One rule for every check, servers and --ldap alike:
 * READY must mean ready, and an unknown must say why.
 */
export function unread(tellers: Tellers): Unread {
  const causes: string[] = [];
  const fixes: string[] = [];
  for (const role of ['local', 'partner'] as const) {
    const read = tellers[role];
    if (read?.failed) {
      causes.push(read.error);
      fixes.push(`make the ${role} source readable: ${read.error.replace(/^\w+ source: /, '')}`);
    } else if (read?.facts?.refused?.length) {
      const { refused, source } = read.facts;
      causes.push(`${role} source ${source} refused: ${refused.join('; ')}`);
      const more = refused.length > 1 ? ` and ${refused.length - 1} more` : '';
      fixes.push(`let the ${role} server answer the commands it refused this user (${source}: ${refused[0]}${more})`);
    }
  }
  const dirError = tellers.directory?.error;
  if (dirError !== undefined) {
    causes.push(dirError);
    fixes.push(`make the directory reachable and the bind work (--ldap, --ldap-bind-dn, LDAP_PASSWORD): ${dirError.replace(/^directory: /, '')}`);
  }
  if (fixes.length === 0) return { causes };
  const fix = fixes.join('; ').replace(/\.$/, '');
  return { causes, fix: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}. Then run again.` };
}

/** The directory's answers; `{}` when no --ldap was given, `error` when it could not be asked. */
export async function directoryOf(ctx: Context): Promise<DirectoryRead> {
  try {
    const facts = await ctx.directory();
    return facts ? { facts } : {};
  } catch (err) {
    return { error: `directory: ${errorText(err)}` };
  }
}
