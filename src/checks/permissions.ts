import { membershipOf } from './admin-groups.js';
import { directoryOf, pairOf, sourceNotes, unread } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';
import { liveInsisted, phaseOf } from './phase.js';

const o = outcomes('permissions', {
  'directory-member': 'pass',
  'directory-not-member': 'fail',
  allowed: 'pass',
  denied: 'fail',
  'not-known': 'unknown',
  'before-deploy': 'skip',
  'group-member': 'pass',
  'not-group-member': 'fail',
  'group-membership-not-known': 'unknown',
});

const LOCAL_GROUP_NOTE =
  'On a member server "DHCP Administrators" is a local group the directory cannot see: name the domain group nested in it with --admin-group.';

export const permissions: Check = {
  id: 'permissions',
  title: 'User may administer the partner',
  codes: o.codes,
  async run(ctx) {
    const [read, directory] = await Promise.all([pairOf(ctx), directoryOf(ctx)]);
    const { local, partner, platform } = read;
    const fix = platform.fixes.permissions;
    const dir = directory.facts;

    // The person who will pair, judged against the groups the partner lists (its LocalGroups).
    const groups = partner.facts?.adminGroups;
    const explicit = ctx.plan.ldap?.user ?? ctx.plan.user;
    const user = explicit ?? dir?.user.input ?? local.facts?.identity?.user;
    if (groups && user) {
      const from = explicit !== undefined ? '--user' : dir ? 'the directory bind identity' : `the local source's Identity (${local.facts!.source})`;
      const sid = explicit === undefined && !dir ? local.facts?.identity?.sid : undefined;
      const m = membershipOf(groups, user, sid, dir);
      const groupList = groups.map((g) => `${g.name} (${g.members.length} member${g.members.length === 1 ? '' : 's'})`).join(', ');
      const evidence = [`user: ${user} (${from})`, `partner groups: ${groupList} (${partner.facts!.source})`];
      const details = {
        user,
        userFrom: from,
        groups: groups.map((g) => ({ name: g.name, members: g.members.map((x) => x.name) })),
        membership: m,
        source: partner.facts!.source,
        ...(directory.error ? { directory: directory.error } : {}),
      };
      switch (m.kind) {
        case 'direct':
          return o.pass('group-member', `${user} is a member of ${m.group} on the partner`, { details, evidence });
        case 'nested':
          return o.pass('group-member', `${user} is a member of ${m.group} on the partner through ${m.via} (directory)`, { details, evidence });
        case 'none':
          return o.fail('not-group-member', messages.permissions(), { details, evidence: [...evidence, `${user} is in none of them`], fix });
        case 'unresolved': {
          // A directory given and not read is the reason it did not resolve them: its error, not advice to give one.
          const why = unread({ directory });
          return o.unknown(
            'group-membership-not-known',
            `${user} is not a direct member of the partner's ${m.groups.join(' or ')}, and may be one through ${m.via.join(', ')}`,
            {
              details,
              evidence: [...evidence, ...why.causes],
              fix: why.fix ?? `Ask the directory: --ldap <url> --admin-group "${m.via[0]!.replace(/^.*\\/, '')}" (and --user ${user}).`,
            },
          );
        }
        case 'no-members':
          return o.unknown('group-membership-not-known', `the partner source lists ${m.groups.join(' and ')} without members`, {
            details,
            evidence,
            fix: 'Run the collector elevated on the partner (Get-LocalGroupMember needs it).',
          });
      }
    }
    if (dir?.membership) {
      const details = {
        user: dir.user.dn ?? dir.user.input,
        group: dir.group.dn ?? dir.group.input,
        membership: dir.membership,
        source: 'directory',
        note: LOCAL_GROUP_NOTE,
      };
      const evidence = [`${dir.user.input} is ${dir.membership === 'none' ? 'not a member' : `a ${dir.membership} member`} of ${dir.group.input} (directory)`];
      if (dir.membership === 'none') return o.fail('directory-not-member', messages.permissions(), { details, evidence, fix });
      return o.pass('directory-member', `${dir.user.input} is a ${dir.membership} member of ${dir.group.input}`, { details });
    }

    const identity = partner.facts?.identity;
    const details = {
      user: identity?.user,
      source: partner.facts?.source ?? partner.error,
      ...sourceNotes(partner),
      ...(directory.error ? { directory: directory.error } : {}),
      ...(dir ? { directory: dir.notes.join(' ') || 'the user or group was not found' } : {}),
    };
    const directoryLines = directory.error ? [directory.error] : [];
    if (identity?.isDhcpAdministrator === true)
      return o.pass('allowed', `${identity.user ?? 'the user'} may administer the partner`, {
        details,
        ...(directoryLines.length > 0 ? { evidence: directoryLines } : {}),
      });
    if (identity?.isDhcpAdministrator === false) {
      return o.fail('denied', messages.permissions(), {
        details,
        evidence: [`${identity.user ?? 'the user'} is not a DHCP administrator on the partner (${partner.facts!.source})`, ...directoryLines],
        fix,
      });
    }
    const phase = phaseOf(ctx, read);
    if (phase.partner === 'before-deploy' && !phase.given) {
      return o.skip('before-deploy', 'before deploy: who may administer the partner will be checked once it runs', { details, evidence: directoryLines });
    }
    const insisted = liveInsisted(ctx, read, 'partner');
    // A partner source or directory that was given and failed (or refused) is the cause, not a missing source.
    const why = unread({ partner, directory });
    const advice = read.directoryMayTell
      ? 'Give a directory with --ldap, or a partner source that tells who may administer it (README: Fact sources).'
      : 'Give a live partner source that tells who may administer it (README: Fact sources).';
    return o.unknown(
      'not-known',
      why.causes.length > 0 ? 'whether the user may administer the partner is not known' : 'no source tells whether the user may administer the partner',
      {
        details,
        evidence: [...(insisted ? [insisted] : []), ...why.causes],
        fix: insisted ? advice : (why.fix ?? advice),
      },
    );
  },
};
