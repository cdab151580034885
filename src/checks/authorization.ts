import type { Role } from '../context.js';
import { platformOf } from '../platforms/index.js';
import { directoryOf, pairOf, unread, type Tellers } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Not one of the nine failure messages, but in the same document's requirements: a DHCP server
// that must be authorized in AD and is not serves no clients, failover or not. Not a prerequisite
// of failover itself, so a missing answer is a skip with its reason, never an unknown.

const o = outcomes('authorization', {
  authorized: 'pass',
  'not-authorized': 'warn',
  'not-applicable': 'skip',
  'not-known': 'skip',
  'directory-unreadable': 'unknown',
});

export const authorization: Check = {
  id: 'authorization',
  title: 'Both servers are authorized in Active Directory',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const [directory, read] = await Promise.all([directoryOf(ctx), pairOf(ctx)]);
    const platforms = [read.local.facts?.platform, read.partner.facts?.platform].filter((p) => p !== undefined);
    if (!ctx.plan.ldap && platforms.length > 0 && !platforms.some((p) => platformOf(p).directoryAuthorization)) {
      return o.skip('not-applicable', "neither server's platform is authorized in Active Directory", { details: { platforms } });
    }
    const answer: Record<Role, boolean | undefined> = { local: undefined, partner: undefined };
    const details: Record<string, unknown> = {};
    for (const role of ['local', 'partner'] as const) {
      const fromDirectory = directory.facts?.authorization[role];
      const facts = read[role].facts;
      if (fromDirectory !== undefined) {
        answer[role] = fromDirectory !== null;
        details[role] = fromDirectory ? `authorized as ${fromDirectory.raw}` : 'not listed in CN=DhcpRoot';
      } else if (facts?.authorized !== undefined) {
        answer[role] = facts.authorized;
        details[role] = `IsAuthorized=${facts.authorized} (${facts.source})`;
        if (facts.domainJoined === false) details[`${role}Workgroup`] = 'a workgroup server cannot be authorized in Active Directory';
      } else {
        details[role] = read[role].error ?? 'no source tells';
      }
    }
    if (directory.error) details.directory = directory.error;
    if (directory.facts?.notes.length) details.notes = directory.facts.notes;
    const missing = (['local', 'partner'] as const).filter((r) => answer[r] === false);
    if (missing.length > 0) {
      return o.warn('not-authorized', `${missing.join(' and ')} server${missing.length > 1 ? 's are' : ' is'} not authorized in Active Directory`, {
        details,
        ...(read.platform.fixes.authorization ? { fix: read.platform.fixes.authorization } : {}),
      });
    }
    // A directory asked for and not read: a line beside a bundle's answer, unknown where it was the only source.
    const evidence = directory.error ? [directory.error] : [];
    if (answer.local === true && answer.partner === true)
      return o.pass('authorized', 'both servers are authorized', { details, ...(evidence.length > 0 ? { evidence } : {}) });
    const unanswered = (['local', 'partner'] as const).filter((r) => answer[r] === undefined);
    const which = unanswered.join(' and ');
    // The sources given for the servers not answered, and the directory: each that failed is named.
    const tellers: Tellers = { directory };
    for (const role of unanswered) tellers[role] = read[role];
    const why = unread(tellers);
    if (directory.error) {
      return o.unknown('directory-unreadable', `not determined for the ${which} server: the directory given with --ldap could not be asked`, {
        details,
        evidence: why.causes,
        // The same words as every check's for a failed directory (unread), and the way out this optional check has.
        fix: `${why.fix} Or drop --ldap.`,
      });
    }
    if (why.causes.length > 0) {
      return o.skip('not-known', `not determined for the ${which} server: ${why.causes.length > 1 ? 'the sources given failed' : 'a source given failed'}`, {
        details,
        evidence: why.causes,
      });
    }
    return o.skip('not-known', `not determined for the ${which} server: give --ldap, or a source that tells (README: Fact sources)`, { details });
  },
};
