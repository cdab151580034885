import type { Role } from '../context.js';
import { directoryOf, factsOf } from './facts-of.js';
import { pass, unknown, warn, type Check, type Outcome } from './types.js';

// Not one of the nine failure messages, but in the same document's requirements: a Windows DHCP
// server that is not authorized in AD does not serve clients, failover or not.

export const authorization: Check = {
  id: 'authorization',
  title: 'Both servers are authorized in Active Directory',
  async run(ctx): Promise<Outcome> {
    const [directory, local, partner] = await Promise.all([directoryOf(ctx), factsOf(ctx, 'local'), factsOf(ctx, 'partner')]);
    const platforms = [local.facts?.platform, partner.facts?.platform].filter((p) => p !== undefined);
    if (!ctx.plan.ldap && platforms.length > 0 && !platforms.includes('windows')) {
      return { status: 'skip', message: 'not a Windows pair: Active Directory authorization does not apply', details: {} };
    }
    const answer: Record<Role, boolean | undefined> = { local: undefined, partner: undefined };
    const details: Record<string, unknown> = {};
    for (const role of ['local', 'partner'] as const) {
      const fromDirectory = directory.facts?.authorization[role];
      const facts = role === 'local' ? local.facts : partner.facts;
      if (fromDirectory !== undefined) {
        answer[role] = fromDirectory !== null;
        details[role] = fromDirectory ? `authorized as ${fromDirectory.raw}` : 'not listed in CN=DhcpRoot';
      } else if (facts?.authorized !== undefined) {
        answer[role] = facts.authorized;
        details[role] = `IsAuthorized=${facts.authorized} (${facts.source})`;
        if (facts.domainJoined === false) details[`${role}Workgroup`] = 'a workgroup server cannot be authorized in Active Directory';
      }
    }
    if (directory.error) details.directory = directory.error;
    if (directory.facts?.notes.length) details.notes = directory.facts.notes;
    const missing = (['local', 'partner'] as const).filter((r) => answer[r] === false);
    if (missing.length > 0) {
      return warn(`${missing.join(' and ')} server${missing.length > 1 ? 's are' : ' is'} not authorized in Active Directory`, {
        details,
        fix: `Authorize it: Add-DhcpServerInDC -DnsName <server> -IPAddress <address> (as an Enterprise Admin).`,
      });
    }
    if (answer.local === true && answer.partner === true) return pass('both servers are authorized', { details });
    if (!ctx.plan.ldap && answer.local === undefined && answer.partner === undefined) {
      return { status: 'skip', message: 'no directory (--ldap) and no source tells whether the servers are authorized', details };
    }
    return unknown('authorization is not known for both servers', { details });
  },
};
