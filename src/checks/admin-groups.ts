import type { DirectoryFacts } from '../context.js';
import type { GroupMember, LocalGroup } from '../facts.js';

// Whether a user is a member of a server's administering groups (its adminGroups fact: the local
// groups and their members as the server lists them), directly or through a nested directory group
// that the directory (--ldap, --admin-group) resolved.

export type Membership =
  | { kind: 'direct'; group: string; member: string }
  | { kind: 'nested'; group: string; via: string }
  | { kind: 'none'; groups: string[] }
  /** Nested groups the directory did not resolve: the user may be in one of them. */
  | { kind: 'unresolved'; groups: string[]; via: string[] }
  | { kind: 'no-members'; groups: string[] };

/** "CORP\\alice", "alice@corp.example" and "alice" all name alice. */
const bare = (name: string) => name.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase();
const hasDomain = (name: string) => /[\\@]/.test(name);

function sameAccount(member: GroupMember, user: string, sid: string | undefined): boolean {
  if (sid && member.sid) return sid.toLowerCase() === member.sid.toLowerCase();
  if (member.name.toLowerCase() === user.toLowerCase()) return true;
  // A bare user name matches any domain's account of that name; a qualified one only its own.
  return !hasDomain(user) || /@/.test(user) ? bare(member.name) === bare(user) : false;
}

const isGroup = (m: GroupMember) => (m.objectClass ?? '').toLowerCase() === 'group';

/** The directory group's name as a member name would end: "DHCP Admins" from its input or DN. */
function directoryGroupNames(dir: DirectoryFacts): string[] {
  const names = [bare(dir.group.input)];
  const cn = dir.group.dn ? /^CN=([^,]+)/i.exec(dir.group.dn)?.[1] : undefined;
  if (cn) names.push(cn.toLowerCase());
  return names;
}

export function membershipOf(groups: LocalGroup[], user: string, sid: string | undefined, dir: DirectoryFacts | undefined): Membership {
  const names = groups.map((g) => g.name);
  if (groups.every((g) => g.members.length === 0)) return { kind: 'no-members', groups: names };
  for (const g of groups) {
    const m = g.members.find((x) => !isGroup(x) && sameAccount(x, user, sid));
    if (m) return { kind: 'direct', group: g.name, member: m.name };
  }
  const nested = groups.flatMap((g) => g.members.filter(isGroup).map((m) => ({ group: g.name, member: m.name })));
  const resolved = dir?.membership ? directoryGroupNames(dir) : [];
  const unresolved: string[] = [];
  for (const n of nested) {
    if (resolved.includes(bare(n.member))) {
      if (dir!.membership !== 'none') return { kind: 'nested', group: n.group, via: n.member };
    } else unresolved.push(n.member);
  }
  if (unresolved.length > 0) return { kind: 'unresolved', groups: names, via: [...new Set(unresolved)] };
  return { kind: 'none', groups: names };
}
