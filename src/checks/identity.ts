import { resolve } from 'node:path';
import type { SourceSpec } from '../plan.js';
import { ownAddresses, ownNames } from '../platforms/shared/identity.js';
import { pairOf, unread } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Beyond the documented list: the facts given for each server describe that server. The same
// file on both sides, or a partner source describing another machine, makes every other verdict
// about the wrong pair.

const o = outcomes('identity', {
  distinct: 'pass',
  'same-server': 'fail',
  'address-mismatch': 'warn',
  'no-address': 'unknown',
  'source-unread': 'unknown',
  'no-partner-source': 'skip',
});

const fileOf = (spec: SourceSpec | undefined) => (spec && 'path' in spec ? resolve(spec.path) : undefined);

export const identity: Check = {
  id: 'identity',
  title: 'Each source describes the server it is given for',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    const { plan } = ctx;
    if (!plan.partnerSource) return o.skip('no-partner-source', 'no source for the partner: nothing to compare (--partner-source)', { details: {} });
    if (!read.partner.facts) {
      const { fix } = unread({ partner: read.partner });
      return o.unknown('source-unread', 'the partner source could not be read', {
        details: { cause: read.partner.error },
        evidence: [read.partner.error],
        ...(fix ? { fix } : {}),
      });
    }
    const partner = read.partner.facts;
    const local = read.local.facts;
    const localFile = fileOf(plan.localSource);
    if (localFile !== undefined && localFile === fileOf(plan.partnerSource)) {
      return o.fail('same-server', 'the same source describes both servers: a server cannot be its own failover partner', {
        details: { source: partner.source },
        evidence: [`--local-source and --partner-source are both ${localFile}`],
        fix: "Give the partner's own facts with --partner-source.",
      });
    }
    if (local) {
      const mine = ownNames(local);
      const same = ownNames(partner).find((p) => mine.some((l) => l.name === p.name));
      if (same) {
        return o.fail('same-server', `both sources describe a server named "${same.name}": a server cannot be its own failover partner`, {
          details: { name: same.name, from: same.from, local: local.source, partner: partner.source },
          evidence: [`${same.from} "${same.name}" in ${local.source} and in ${partner.source}`],
          fix: "Give the partner's own facts with --partner-source, or fix the name in one of them.",
        });
      }
    }
    const address = read.address.address?.toLowerCase();
    const own = ownAddresses(partner);
    if (own.length === 0) {
      // An agent that refused to tell is the cause; a source that read fine and lists none, advice.
      const why = unread({ partner: read.partner });
      return o.unknown('no-address', `${partner.source} holds no address of the partner's own, to tell whether it describes ${plan.partner}`, {
        details: { source: partner.source },
        ...(why.causes.length > 0 ? { evidence: why.causes } : {}),
        fix:
          why.fix ??
          "Give a partner source that lists the server's own addresses (a bundle with NetIPAddress, an inventory with addresses; README: Fact sources).",
      });
    }
    if (!address)
      return o.unknown('no-address', `${plan.partner} has no address to compare with ${partner.source}`, {
        details: { input: plan.partner, cause: read.address.error },
      });
    const endpoint = ctx.sourceHints().partner.endpoint;
    const problems: string[] = [];
    const ownSet = new Set(own.map((a) => a.address));
    if (!ownSet.has(address)) {
      const list = [...ownSet].join(', ');
      problems.push(
        `${plan.partner}${address !== plan.partner.toLowerCase() ? ` (${address})` : ''} is not among the addresses ${partner.source} gives as the partner's own: ${list} (${[...new Set(own.map((a) => a.from))].join('; ')})`,
      );
    }
    const endpointHost = endpoint?.host.toLowerCase();
    if (endpointHost !== undefined && endpointHost !== address && endpointHost !== plan.partner.toLowerCase() && !ownSet.has(endpointHost)) {
      problems.push(
        `the partner source asks ${endpoint!.host}, another host than ${plan.partner}${address !== plan.partner.toLowerCase() ? ` (${address})` : ''}`,
      );
    }
    const details = { partner: plan.partner, address, ownAddresses: [...ownSet], source: partner.source };
    if (problems.length > 0) {
      return o.warn('address-mismatch', `the partner source may describe another server than ${plan.partner}`, {
        details,
        evidence: problems,
        fix: `Check that ${partner.source} describes ${plan.partner}, or give the partner's address as it knows itself.`,
      });
    }
    return o.pass('distinct', `${partner.source} describes ${plan.partner}`, { details });
  },
};
