// The collector's keys beyond the first ten (collectors/windows.ps1): local groups, classes,
// option definitions, per-scope option values and policies, DNS settings and credential, bindings,
// and the collector's notes. Each is optional: a key left out is an unknown fact.

import type { DhcpClass, GroupMember, LocalGroup, OptionDefinition, ScopeOptionValue, ScopePolicy, WindowsFacts } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import { invalid, ipv4Of, isRecord, listOf } from './windows-common.js';

type Doc = Record<string, unknown>;

/** A readable member: a string, or absent/null (undefined). A number or object is refused. */
function textOf(file: string, path: string, v: unknown): string | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  throw invalid(file, path, 'a string', v);
}

function recordsOf(file: string, key: string, value: unknown, what: string): { item: Doc; path: string }[] {
  const list = listOf(file, key, value, what);
  return list.items.map((item, i) => {
    if (!isRecord(item)) throw invalid(file, list.at(i), `a ${what} object`, item);
    return { item, path: list.at(i) };
  });
}

/** A SID as the collector writes it (a string) or as raw ConvertTo-Json does ({ Value: "S-1-..." }). */
function sidOf(file: string, path: string, v: unknown): string | undefined {
  if (isRecord(v)) return textOf(file, `${path}.Value`, v['Value']);
  return textOf(file, path, v);
}

function idOf(file: string, path: string, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return v;
  if (typeof v === 'string' && /^\d{1,3}$/.test(v) && Number(v) <= 255) return Number(v);
  throw invalid(file, path, 'an option id (0-255)', v);
}

/** Names after the operators in a policy condition: ["EQ", "MSFT 5.0", "NE", "X"] -> MSFT 5.0, X. */
function conditionClasses(file: string, path: string, v: unknown): string[] {
  const list = listOf(file, path, v, 'condition strings');
  return list.items
    .map((x, i) => textOf(file, list.at(i), x) ?? '')
    .filter((x) => x !== '' && !/^(EQ|NE)$/i.test(x))
    .map((x) => x.replace(/\*$/, ''));
}

const memberOf = (file: string, path: string, m: Doc): GroupMember => {
  const name = textOf(file, `${path}.Name`, m['Name']);
  if (!name) throw invalid(file, `${path}.Name`, 'a member name', m['Name']);
  const out: GroupMember = { name };
  const sid = sidOf(file, `${path}.SID`, m['SID']);
  if (sid) out.sid = sid;
  const cls = textOf(file, `${path}.ObjectClass`, m['ObjectClass']);
  if (cls) out.objectClass = cls;
  const src = m['PrincipalSource'];
  // Microsoft.PowerShell.Commands.PrincipalSource: Unknown, Local, ActiveDirectory, AzureAD, MicrosoftAccount.
  const sources = ['Unknown', 'Local', 'ActiveDirectory', 'AzureAD', 'MicrosoftAccount'];
  const srcText = typeof src === 'number' ? sources[src] : textOf(file, `${path}.PrincipalSource`, src);
  if (srcText) out.principalSource = srcText;
  return out;
};

/** LocalGroups: the groups whose members may administer DHCP, with their members. */
export function adminGroupsOf(file: string, value: unknown): LocalGroup[] {
  return recordsOf(file, 'LocalGroups', value, 'local group').map(({ item, path }): LocalGroup => {
    const name = textOf(file, `${path}.Name`, item['Name']);
    if (!name) throw invalid(file, `${path}.Name`, 'a group name', item['Name']);
    return { name, members: recordsOf(file, `${path}.Members`, item['Members'], 'Get-LocalGroupMember').map((m) => memberOf(file, m.path, m.item)) };
  });
}

/** The Windows-only facts of a bundle's sections (only the keys it holds). */
export function windowsExtrasOf(file: string, doc: Doc): WindowsFacts | undefined {
  const w: WindowsFacts = {};
  if ('Classes' in doc) {
    w.classes = recordsOf(file, 'Classes', doc['Classes'], 'Get-DhcpServerv4Class').map(({ item, path }): DhcpClass => {
      const name = textOf(file, `${path}.Name`, item['Name']);
      if (!name) throw invalid(file, `${path}.Name`, 'a class name', item['Name']);
      const type = textOf(file, `${path}.Type`, item['Type']) ?? '';
      const data = textOf(file, `${path}.Data`, item['Data']);
      return { name, type, ...(data !== undefined ? { data } : {}) };
    });
  }
  if ('OptionDefinitions' in doc) {
    w.optionDefinitions = recordsOf(file, 'OptionDefinitions', doc['OptionDefinitions'], 'Get-DhcpServerv4OptionDefinition').map(
      ({ item, path }): OptionDefinition => {
        const d: OptionDefinition = {
          optionId: idOf(file, `${path}.OptionId`, item['OptionId']),
          vendorClass: textOf(file, `${path}.VendorClass`, item['VendorClass']) ?? '',
        };
        const name = textOf(file, `${path}.Name`, item['Name']);
        if (name !== undefined) d.name = name;
        const type = textOf(file, `${path}.Type`, item['Type']);
        if (type !== undefined) d.type = type;
        if (typeof item['MultiValued'] === 'boolean') d.multiValued = item['MultiValued'];
        return d;
      },
    );
  }
  const scopeIdOf = (path: string, v: unknown) => formatIPv4(ipv4Of(file, `${path}.ScopeId`, v));
  if ('OptionValues' in doc) {
    w.optionValues = recordsOf(file, 'OptionValues', doc['OptionValues'], 'Get-DhcpServerv4OptionValue').map(({ item, path }): ScopeOptionValue => {
      const v: ScopeOptionValue = { scopeId: scopeIdOf(path, item['ScopeId']), optionId: idOf(file, `${path}.OptionId`, item['OptionId']) };
      for (const [key, prop] of [
        ['vendorClass', 'VendorClass'],
        ['userClass', 'UserClass'],
        ['policyName', 'PolicyName'],
      ] as const) {
        const t = textOf(file, `${path}.${prop}`, item[prop]);
        if (t) v[key] = t;
      }
      return v;
    });
  }
  if ('Policies' in doc) {
    w.policies = recordsOf(file, 'Policies', doc['Policies'], 'Get-DhcpServerv4Policy').map(({ item, path }): ScopePolicy => {
      const name = textOf(file, `${path}.Name`, item['Name']);
      if (!name) throw invalid(file, `${path}.Name`, 'a policy name', item['Name']);
      return {
        scopeId: scopeIdOf(path, item['ScopeId']),
        name,
        vendorClasses: conditionClasses(file, `${path}.VendorClass`, item['VendorClass']),
        userClasses: conditionClasses(file, `${path}.UserClass`, item['UserClass']),
      };
    });
  }
  const dns = doc['DnsSetting'];
  if (isRecord(dns)) {
    const u = dns['DynamicUpdates'];
    // DynamicUpdates as a number: 0 Never, 1 OnClientRequest, 2 Always (the cmdlet's -DynamicUpdates values).
    const t = typeof u === 'number' ? ['Never', 'OnClientRequest', 'Always'][u] : textOf(file, 'DnsSetting.DynamicUpdates', u);
    if (t) w.dnsDynamicUpdates = t;
  } else if (dns != null) throw invalid(file, 'DnsSetting', 'the Get-DhcpServerv4DnsSetting object', dns);
  if ('DnsCredential' in doc) {
    const c = doc['DnsCredential'];
    if (c != null && !isRecord(c)) throw invalid(file, 'DnsCredential', 'the Get-DhcpServerDnsCredential object', c);
    const user = c ? textOf(file, 'DnsCredential.UserName', c['UserName']) : undefined;
    const domain = c ? textOf(file, 'DnsCredential.DomainName', c['DomainName']) : undefined;
    w.dnsCredential = user ? { user, ...(domain ? { domain } : {}) } : null;
  }
  if ('Bindings' in doc) {
    w.bindings = recordsOf(file, 'Bindings', doc['Bindings'], 'Get-DhcpServerv4Binding').map(({ item, path }) => {
      const alias = textOf(file, `${path}.InterfaceAlias`, item['InterfaceAlias']);
      const address = item['IPAddress'] == null ? undefined : formatIPv4(ipv4Of(file, `${path}.IPAddress`, item['IPAddress']));
      return { ...(alias ? { interfaceAlias: alias } : {}), ...(address ? { address } : {}), bound: item['BindingState'] === true };
    });
  }
  const setting = doc['Setting'];
  if (isRecord(setting) && typeof setting['ConflictDetectionAttempts'] === 'number') w.conflictDetectionAttempts = setting['ConflictDetectionAttempts'];
  return Object.keys(w).length > 0 ? w : undefined;
}

/** The collector's notes (what it could not collect, and why). */
export function collectorNotesOf(file: string, value: unknown): string[] {
  const list = listOf(file, 'Notes', value, 'strings');
  return list.items.map((n, i) => textOf(file, list.at(i), n) ?? '').filter((n) => n !== '');
}
