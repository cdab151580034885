// Facts from a bundle of the standard DhcpServer cmdlets' output, written by ConvertTo-Json
// (see docs/windows-sources.md for the exact PowerShell). The file is streamed (json-stream.ts):
// the small sections and Failover are built whole, each scope is built with only the members its
// fact needs, and everything else is checked for syntax and dropped. The small sections are
// validated with zod; scopes and failover relationships use plain functions because a server can
// hold 100 000 scopes and zod costs ~2-3 µs per scope object there (measured: 200-400 ms per 100k).

import { z } from 'zod';
import type { Identity, Relationship, ScopeFact, ServerFacts } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import { InputError } from '../util/errors.js';
import { JsonStream, JsonSyntaxError, type Opens, type Slot, type Visitor } from './json-stream.js';
import { feedText, streamTextFile, type TextSink } from './text-stream.js';
import { attachExclusions, invalid, ipv4Of, isRecord, listOf, serviceStatusOf, show, versionOf } from './windows-common.js';
import { addressesOf, exclusionsOf } from './windows-json-addresses.js';
import { ScopeArray, ScopeList, ScopesObject } from './windows-json-scopes.js';

const count = z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0, { error: 'a number >= 0' });
const optionalText = z.string({ error: 'a string' }).nullish();
const optionalFlag = z.boolean({ error: 'true or false' }).nullish();

const bundleSchema = z.looseObject(
  {
    ComputerName: optionalText,
    Version: z.looseObject(
      { MajorVersion: count, MinorVersion: count },
      { error: (iss) => (iss.input === undefined ? 'the Get-DhcpServerVersion output (required)' : 'an object') },
    ),
    Service: z
      .looseObject(
        { Status: z.union([z.number(), z.string()], { error: 'a service status number or name' }) },
        { error: 'the Get-Service DHCPServer object' },
      )
      .nullish(),
    Setting: z
      .looseObject({ IsAuthorized: optionalFlag, IsDomainJoined: optionalFlag }, { error: 'an object' })
      .nullish(),
    Parameters: z.looseObject({ DhcpMsgSyncDeltaTime: count.nullish() }, { error: 'an object' }).nullish(),
    Identity: z.looseObject({ User: optionalText, IsDhcpAdministrator: optionalFlag }, { error: 'an object' }).nullish(),
  },
  { error: 'an object with ComputerName, Version, Scopes, ...' },
);

export async function loadWindowsJson(path: string): Promise<ServerFacts> {
  const reader = new BundleReader(path);
  await streamTextFile(path, reader);
  return reader.facts();
}

/** Exposed for tests and benchmarks that already hold the text (whole, or as chunks). */
export function windowsJsonFacts(file: string, text: string | Iterable<string>): ServerFacts {
  const reader = new BundleReader(file);
  feedText(reader, text);
  return reader.facts();
}

/** Top-level members built whole: small, and validated with zod. */
const SECTIONS = new Set(['ComputerName', 'Version', 'Service', 'Setting', 'Parameters', 'Identity', 'NetIPAddress', 'ExclusionRanges']);

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
    const checked = bundleSchema.safeParse(doc, { reportInput: true });
    if (!checked.success) throw zodError(this.file, checked.error);
    const bundle = checked.data;
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
      if (bundle.Identity.IsDhcpAdministrator != null) identity.isDhcpAdministrator = bundle.Identity.IsDhcpAdministrator;
      facts.identity = identity;
    }
    const setting = bundle.Setting;
    if (setting?.IsAuthorized != null) facts.authorized = setting.IsAuthorized;
    if (setting?.IsDomainJoined != null) facts.domainJoined = setting.IsDomainJoined;
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

function zodError(file: string, error: z.ZodError): InputError {
  const issue = error.issues[0];
  if (!issue) return new InputError(`${file}: not a valid windows-json bundle`);
  let path = '';
  for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : `${path ? '.' : ''}${String(key)}`;
  return new InputError(`${file}: ${path || '(top level)'}: expected ${issue.message}, got ${show(issue.input)}`);
}
