import { directoryOf, factsOf, sourceNotes } from './facts-of.js';
import { messages } from './messages.js';
import { fail, pass, unknown, type Check } from './types.js';

const LOCAL_GROUP_NOTE =
  'On a member server "DHCP Administrators" is a local group the directory cannot see: name the domain group nested in it with --admin-group.';

export const permissions: Check = {
  id: 'permissions',
  title: 'User may administer the partner (DHCP Administrators)',
  async run(ctx) {
    const [partner, directory] = await Promise.all([factsOf(ctx, 'partner'), directoryOf(ctx)]);
    const fix = 'Add the user to the partner\'s "DHCP Administrators" group (or Administrators), then log on again.';
    const dir = directory.facts;
    if (dir?.membership) {
      const details = { user: dir.user.dn ?? dir.user.input, group: dir.group.dn ?? dir.group.input, membership: dir.membership, source: 'directory', note: LOCAL_GROUP_NOTE };
      if (dir.membership === 'none') return fail(messages.permissions(), { details, fix });
      return pass(`${dir.user.input} is a ${dir.membership} member of ${dir.group.input}`, { details });
    }

    const identity = partner.facts?.identity;
    const details = {
      user: identity?.user,
      source: partner.facts?.source ?? partner.error,
      ...sourceNotes(partner),
      ...(directory.error ? { directory: directory.error } : {}),
      ...(dir ? { directory: dir.notes.join(' ') || 'the user or group was not found' } : {}),
    };
    if (identity?.isDhcpAdministrator === true) return pass(`${identity.user ?? 'the user'} may administer the partner`, { details });
    if (identity?.isDhcpAdministrator === false) return fail(messages.permissions(), { details, fix });
    return unknown('no source tells whether the user may administer the partner', {
      details,
      fix: 'Give a directory with --ldap, or a partner source that carries Identity (windows-json).',
    });
  },
};
