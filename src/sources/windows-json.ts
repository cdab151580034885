// Facts from a bundle of the standard DhcpServer cmdlets' output, written by ConvertTo-Json
// (see docs/windows-sources.md for the exact PowerShell). The file is streamed (json-stream.ts):
// the small sections and Failover are built whole, each scope is built with only the members its
// fact needs, and everything else is checked for syntax and dropped. Everything is validated by
// plain functions: a server can hold 100 000 scopes and zod's cost per scope object adds up there,
// and loading zod at all costs more than reading a small bundle.

import type { Identity, Relationship, ServerFacts } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import { InputError } from '../util/errors.js';
import { JsonStream, JsonSyntaxError, type Opens, type Slot, type Visitor } from './json-stream.js';
import { DEFAULT_INPUT_DEADLINE, type InputDeadline } from '../util/read-guarded.js';
import { feedText, streamTextFile, type TextSink } from './text-stream.js';
import { attachExclusions, invalid, ipv4Of, isRecord, listOf, serviceStatusOf, versionOf } from './windows-common.js';
import { addressesOf, exclusionsOf } from './windows-json-addresses.js';
import { ScopeArray, ScopeList, ScopesObject } from './windows-json-scopes.js';
import { WINDOWS_BUNDLE_KEYS } from './windows-bundle-keys.js';
import { adminGroupsOf, collectorNotesOf, windowsExtrasOf } from './windows-json-extras.js';

/** The small sections as facts() reads them, after sectionsOf checked their shapes. */
interface Sections {
  ComputerName?: string | null;
  Version: { MajorVersion: number; MinorVersion: number };
  Service?: { Status: number | string } | null;
  Setting?: { IsAuthorized?: boolean | null; IsDomainJoined?: boolean | null } | null;
  Parameters?: { DhcpMsgSyncDeltaTime?: number | null } | null;
  Identity?: { User?: string | null; Sid?: string | null; IsDhcpAdministrator?: boolean | null } | null;
}

/**
 * Checks the small sections in document order and throws at the first wrong member, naming its
 * path. Plain code, not a schema library: this is on every run's path, and loading zod costs more
 * than the rest of the read.
 */
function sectionsOf(file: string, doc: unknown): Sections {
  if (!isRecord(doc)) throw invalid(file, '(top level)', 'an object with ComputerName, Version, Scopes, ...', doc);
  const text = (path: string, v: unknown) => {
    if (v != null && typeof v !== 'string') throw invalid(file, path, 'a string', v);
  };
  const flag = (path: string, v: unknown) => {
    if (v != null && typeof v !== 'boolean') throw invalid(file, path, 'true or false', v);
  };
  const count = (path: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(file, path, 'a whole number', v);
    if (v < 0) throw invalid(file, path, 'a number >= 0', v);
  };
  const section = (key: string, expected: string): Record<string, unknown> | undefined => {
    const v = doc[key];
    if (v == null) return undefined;
    if (!isRecord(v)) throw invalid(file, key, expected, v);
    return v;
  };
  text('ComputerName', doc['ComputerName']);
  const version = doc['Version'];
  if (!isRecord(version)) {
    throw invalid(file, 'Version', version === undefined ? 'the Get-DhcpServerVersion output (required)' : 'an object', version);
  }
  count('Version.MajorVersion', version['MajorVersion']);
  count('Version.MinorVersion', version['MinorVersion']);
  const service = section('Service', 'the Get-Service DHCPServer object');
  if (service && typeof service['Status'] !== 'number' && typeof service['Status'] !== 'string') {
    throw invalid(file, 'Service.Status', 'a service status number or name', service['Status']);
  }
  const setting = section('Setting', 'an object');
  if (setting) {
    flag('Setting.IsAuthorized', setting['IsAuthorized']);
    flag('Setting.IsDomainJoined', setting['IsDomainJoined']);
  }
  const parameters = section('Parameters', 'an object');
  if (parameters && parameters['DhcpMsgSyncDeltaTime'] != null) count('Parameters.DhcpMsgSyncDeltaTime', parameters['DhcpMsgSyncDeltaTime']);
  const identity = section('Identity', 'an object');
  if (identity) {
    text('Identity.User', identity['User']);
    text('Identity.Sid', identity['Sid']);
    flag('Identity.IsDhcpAdministrator', identity['IsDhcpAdministrator']);
  }
  return doc as unknown as Sections;
}

export async function loadWindowsJson(path: string, deadline: InputDeadline = DEFAULT_INPUT_DEADLINE): Promise<ServerFacts> {
  const reader = new BundleReader(path);
  await streamTextFile(path, reader, { purpose: 'export', ...deadline });
  return reader.facts();
}

/** Exposed for tests and benchmarks that already hold the text (whole, or as chunks). */
export function windowsJsonFacts(file: string, text: string | Iterable<string>): ServerFacts {
  const reader = new BundleReader(file);
  feedText(reader, text);
  return reader.facts();
}

/** Top-level members built whole: every key of the collector but the two that live apart. */
const SECTIONS = new Set<string>(WINDOWS_BUNDLE_KEYS.filter((k) => k !== 'Scopes' && k !== 'Failover'));

/** Streams one bundle: the JSON reader's root and top-level Visitor, and the facts at the end. */
class BundleReader implements TextSink {
  private readonly json: JsonStream;
  /** The document, when it is not an object (only to say so). */
  private other: { value: unknown } | undefined;
  /** The top-level members that are kept; Scopes and Failover live apart. */
  private readonly sections: Record<string, unknown> = {};
  private readonly seen = new Set<string>();
  private scopes: { list: ScopeList } | { object: ScopesObject } | { value: unknown } | undefined;
  private failover: { value: unknown } | undefined;

  constructor(private readonly file: string) {
    // The top-level object's Visitor; TextSink's end() is another thing, hence not `this`.
    const top: Visitor = {
      member: (key) => this.member(key),
      value: (key, value) => this.value(key, value),
      end: () => undefined,
    };
    const root: Visitor = {
      member: () => (opens: Opens) => (opens === '{' ? top : 'build'),
      value: (_key, value) => {
        this.other = { value };
      },
      end: () => undefined,
    };
    this.json = new JsonStream(root);
  }

  push(text: string): void {
    this.guard(() => this.json.push(text));
  }

  end(): void {
    this.guard(() => this.json.end());
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      if (err instanceof JsonSyntaxError) throw new InputError(`${this.file}: ${err.message}`);
      throw err;
    }
  }

  private member(key: string | number): Slot {
    const name = String(key);
    // JSON.parse would keep the last of two; which one PowerShell meant is anyone's guess.
    if (this.seen.has(name)) return 'duplicate';
    this.seen.add(name);
    if (SECTIONS.has(name) || name === 'Failover') return 'build';
    if (name !== 'Scopes') return 'skip';
    return (opens: Opens) => {
      if (opens === '[') {
        const list = new ScopeList(this.file);
        this.scopes = { list };
        return new ScopeArray(list, 'Scopes');
      }
      if (opens === '{') {
        const object = new ScopesObject(this.file);
        this.scopes = { object };
        return object;
      }
      return 'build';
    };
  }

  private value(key: string | number, value: unknown): void {
    if (key === 'Scopes') this.scopes = { value };
    else if (key === 'Failover') this.failover = { value };
    else this.sections[key] = value;
  }

  facts(): ServerFacts {
    const doc = this.other ? this.other.value : this.sections;
    const bundle = sectionsOf(this.file, doc);
    const file = this.file;

    const facts: ServerFacts = {
      source: `windows-json:${file}`,
      platform: 'windows',
      version: versionOf(bundle.Version.MajorVersion, bundle.Version.MinorVersion),
    };
    if (bundle.ComputerName) facts.name = bundle.ComputerName;
    if (bundle.Service) {
      const status = bundle.Service.Status;
      const service = serviceStatusOf(status);
      if (!service) throw invalid(file, 'Service.Status', 'a ServiceControllerStatus number (1-7) or name', status);
      facts.service = service;
    }
    const scopes = this.scopes;
    if (scopes) {
      if ('list' in scopes) facts.scopes = scopes.list.result();
      else if ('object' in scopes) facts.scopes = scopes.object.chosen.result();
      else {
        // A scalar: null means the cmdlet returned nothing; listOf refuses anything else.
        listOf(file, 'Scopes', scopes.value, 'Get-DhcpServerv4Scope objects');
        facts.scopes = [];
      }
    }
    if (this.failover) facts.relationships = relationshipsOf(file, this.failover.value);
    if ('ExclusionRanges' in this.sections && facts.scopes) {
      attachExclusions(file, 'ExclusionRanges', facts.scopes, exclusionsOf(file, this.sections['ExclusionRanges']));
    }
    if ('NetIPAddress' in this.sections) {
      const addresses = addressesOf(file, this.sections['NetIPAddress']);
      facts.interfaceAddresses = addresses;
      if (addresses.length > 0) facts.addresses = addresses.map((a) => a.address);
    }
    const skew = bundle.Parameters?.DhcpMsgSyncDeltaTime;
    if (skew != null) facts.maxClockSkewSeconds = skew;
    if (bundle.Identity) {
      const identity: Identity = {};
      if (bundle.Identity.User != null) identity.user = bundle.Identity.User;
      if (bundle.Identity.Sid != null) identity.sid = bundle.Identity.Sid;
      if (bundle.Identity.IsDhcpAdministrator != null) identity.isDhcpAdministrator = bundle.Identity.IsDhcpAdministrator;
      facts.identity = identity;
    }
    const setting = bundle.Setting;
    if (setting?.IsAuthorized != null) facts.authorized = setting.IsAuthorized;
    if (setting?.IsDomainJoined != null) facts.domainJoined = setting.IsDomainJoined;
    if ('LocalGroups' in this.sections) facts.adminGroups = adminGroupsOf(file, this.sections['LocalGroups']);
    const windows = windowsExtrasOf(file, this.sections);
    if (windows) facts.windows = windows;
    if ('Notes' in this.sections) {
      const notes = collectorNotesOf(file, this.sections['Notes']);
      if (notes.length > 0) facts.notes = [...(facts.notes ?? []), ...notes.map((n) => `collector: ${n}`)];
    }
    return facts;
  }
}

// Microsoft.Management.Infrastructure enum DhcpServerv4Failover.Mode as ConvertTo-Json writes it.
const FAILOVER_MODES = ['LoadBalance', 'HotStandby'];

function relationshipsOf(file: string, value: unknown): Relationship[] {
  const list = listOf(file, 'Failover', value, 'Get-DhcpServerv4Failover objects');
  return list.items.map((item, i) => relationshipOf(file, list.at(i), item));
}

function relationshipOf(file: string, path: string, item: unknown): Relationship {
  if (!isRecord(item)) throw invalid(file, path, 'a Get-DhcpServerv4Failover object', item);
  const name = item['Name'];
  if (typeof name !== 'string' || name === '') throw invalid(file, `${path}.Name`, 'a relationship name', name);
  const ids = listOf(file, `${path}.ScopeId`, item['ScopeId'], 'IPv4 addresses');
  const relationship: Relationship = {
    name,
    scopeIds: ids.items.map((id, i) => formatIPv4(ipv4Of(file, ids.at(i), id))),
  };
  const partner = item['PartnerServer'];
  if (partner != null) {
    if (typeof partner !== 'string') throw invalid(file, `${path}.PartnerServer`, 'a server name or address', partner);
    relationship.partner = partner;
  }
  const mode = item['Mode'];
  if (mode != null) {
    const text = typeof mode === 'number' ? FAILOVER_MODES[mode] : typeof mode === 'string' ? mode : undefined;
    if (text === undefined) throw invalid(file, `${path}.Mode`, '"LoadBalance", "HotStandby", 0 or 1', mode);
    relationship.mode = text;
  }
  return relationship;
}
