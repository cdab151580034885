import type { DhcpClass, OptionDefinition, ServerFacts } from '../../facts.js';
import type { Pair, ReplicationVerdict } from '../types.js';

// Failover replicates a scope with its option values, reservations and policies, but not the
// server-level definitions they name: a user or vendor class, or an option definition, that a
// shared scope uses must already exist on the partner with the same definition, or replication
// fails after the relationship is created (the classes and option definitions are the admin's to
// copy first). Read from the collector's Classes, OptionDefinitions, OptionValues and Policies.

const FIX =
  'Create each on the partner with the same definition before configuring failover: Add-DhcpServerv4Class -ComputerName <partner> -Name <name> -Type User|Vendor -Data <data>, ' +
  'Add-DhcpServerv4OptionDefinition -ComputerName <partner> -OptionId <id> -Name <name> -Type <type> [-VendorClass <class>] [-MultiValued].';

const COLLECT = 'Give both servers the bundle of the shipped collector (dhcp-failover-check collector windows > windows.ps1), run elevated on each.';

/** One server-level definition a shared scope uses, and who uses it. */
interface Use {
  what: string;
  users: Set<string>;
  check: (partner: Required<Pick<NonNullable<ServerFacts['windows']>, 'classes' | 'optionDefinitions'>>) => string | undefined;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

function classCheck(name: string, type: 'User' | 'Vendor', local: DhcpClass | undefined) {
  return (p: { classes: DhcpClass[] }) => {
    const there = p.classes.find((c) => same(c.name, name) && same(c.type, type));
    if (!there) return 'missing on the partner';
    if (local && local.data !== undefined && there.data !== undefined && !same(local.data, there.data))
      return `defined differently on the partner (data ${there.data}, here ${local.data})`;
    return undefined;
  };
}

function definitionCheck(local: OptionDefinition) {
  return (p: { optionDefinitions: OptionDefinition[] }) => {
    const there = p.optionDefinitions.find((d) => d.optionId === local.optionId && same(d.vendorClass, local.vendorClass));
    if (!there) return 'missing on the partner';
    const diffs: string[] = [];
    if (local.type !== undefined && there.type !== undefined && !same(local.type, there.type)) diffs.push(`type ${there.type}, here ${local.type}`);
    if (local.multiValued !== undefined && there.multiValued !== undefined && local.multiValued !== there.multiValued)
      diffs.push(`multi-valued ${there.multiValued}, here ${local.multiValued}`);
    return diffs.length > 0 ? `defined differently on the partner (${diffs.join('; ')})` : undefined;
  };
}

export function judgeReplication(pair: Pair, sharedScopeIds: string[]): ReplicationVerdict {
  const local = pair.local?.windows;
  const partner = pair.partner?.windows;
  const unknown = (summary: string): ReplicationVerdict => ({ kind: 'unknown', summary, problems: [], evidence: [], details: {}, fix: COLLECT });
  if (!pair.local || !pair.partner) return unknown('needs sources for both servers');
  if (!local?.optionValues && !local?.policies)
    return unknown("the local source does not list the scopes' option values and policies (the collector's OptionValues and Policies)");
  if (!partner?.classes || !partner.optionDefinitions)
    return unknown("the partner source does not list its classes and option definitions (the collector's Classes and OptionDefinitions)");
  if (sharedScopeIds.length === 0) return { kind: 'not-applicable', summary: 'no scope to share', problems: [], evidence: [], details: {} };

  const shared = new Set(sharedScopeIds);
  const uses = new Map<string, Use>();
  const use = (key: string, what: string, user: string, check: Use['check']) => {
    const u = uses.get(key) ?? { what, users: new Set<string>(), check };
    u.users.add(user);
    uses.set(key, u);
  };
  const localClass = (name: string, type: 'User' | 'Vendor') => local.classes?.find((c) => same(c.name, name) && same(c.type, type));
  const useClass = (name: string, type: 'User' | 'Vendor', user: string) =>
    use(`class:${type}:${name.toLowerCase()}`, `${type.toLowerCase()} class "${name}"`, user, classCheck(name, type, localClass(name, type)));

  for (const v of local.optionValues ?? []) {
    if (!shared.has(v.scopeId)) continue;
    const user = `scope ${v.scopeId}${v.policyName ? ` policy "${v.policyName}"` : ''} option ${v.optionId}`;
    if (v.userClass) useClass(v.userClass, 'User', user);
    if (v.vendorClass) useClass(v.vendorClass, 'Vendor', user);
    const definition = local.optionDefinitions?.find((d) => d.optionId === v.optionId && same(d.vendorClass, v.vendorClass));
    if (definition) {
      const label = `option definition ${v.optionId}${definition.name ? ` "${definition.name}"` : ''}${v.vendorClass ? ` (vendor class "${v.vendorClass}")` : ''}`;
      use(`def:${v.optionId}:${(v.vendorClass ?? '').toLowerCase()}`, label, user, definitionCheck(definition));
    }
  }
  for (const p of local.policies ?? []) {
    if (!shared.has(p.scopeId)) continue;
    const user = `scope ${p.scopeId} policy "${p.name}"`;
    for (const c of p.userClasses) useClass(c, 'User', user);
    for (const c of p.vendorClasses) useClass(c, 'Vendor', user);
  }

  const problems: string[] = [];
  for (const u of uses.values()) {
    const wrong = u.check({ classes: partner.classes, optionDefinitions: partner.optionDefinitions });
    if (wrong) problems.push(`${u.what} is ${wrong}; used by ${[...u.users].join(', ')}`);
  }
  const evidence = [
    `the shared scopes use ${uses.size} class${uses.size === 1 ? '' : 'es'} and option definition${uses.size === 1 ? '' : 's'} (${pair.local.source})`,
    `the partner has ${partner.classes.length} classes and ${partner.optionDefinitions.length} option definitions (${pair.partner.source})`,
  ];
  const details = { scopes: sharedScopeIds, used: [...uses.values()].map((u) => u.what) };
  if (problems.length > 0) {
    return {
      kind: 'missing',
      summary:
        'Failover replicates the shared scopes with their options and policies, but not the classes and option definitions they use; the partner lacks these or defines them differently:',
      problems,
      evidence,
      fix: FIX,
      details: { ...details, problems },
    };
  }
  return {
    kind: 'consistent',
    summary: `every class and option definition the shared scopes use exists on the partner with the same definition (${uses.size} checked)`,
    problems,
    evidence,
    details,
  };
}
