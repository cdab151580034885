import { factsOf } from './facts-of.js';
import { messages } from './messages.js';
import { fail, pass, unknown, type Check } from './types.js';

export const permissions: Check = {
  id: 'permissions',
  title: 'User may administer the partner (DHCP Administrators)',
  async run(ctx) {
    const partner = await factsOf(ctx, 'partner');
    const identity = partner.facts?.identity;
    const details = { user: identity?.user, source: partner.facts?.source ?? partner.error };
    if (identity?.isDhcpAdministrator === true) return pass(`${identity.user ?? 'the user'} may administer the partner`, { details });
    if (identity?.isDhcpAdministrator === false) {
      return fail(messages.permissions(), {
        details,
        fix: 'Add the user to the partner\'s "DHCP Administrators" group (or Administrators), then log on again.',
      });
    }
    return unknown('no source tells whether the user may administer the partner', {
      details,
      fix: 'Give a partner source that carries Identity (windows-json), or a directory with --ldap.',
    });
  },
};
