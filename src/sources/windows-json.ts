// Facts from a bundle of the standard DhcpServer cmdlets' output, written by ConvertTo-Json
// (see docs/windows-sources.md for the exact PowerShell). The small sections are validated
// with zod; scopes and failover relationships use plain functions because a server can hold
// 100 000 scopes and zod costs ~2-3 µs per scope object there (measured: 200-400 ms per 100k).

import { z } from 'zod';
import type { Identity, Relationship, ScopeFact, ServerFacts } from '../facts.js';
import { formatIPv4 } from '../net/ipv4.js';
import { InputError } from '../util/errors.js';
import { readTextFile } from './read-file.js';
import {
  WINDOWS_MAX_RELATIONSHIPS,
  invalid,
  ipv4Of,
  isRecord,
  lineColumn,
  scopeFactOf,
  scopeStateOf,
  serviceStatusOf,
  show,
  versionOf,
} from './windows-common.js';

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
  return windowsJsonFacts(path, await readTextFile(path));
}

/** Exposed for tests and benchmarks that already hold the text. */
export function windowsJsonFacts(file: string, text: string): ServerFacts {
  const doc = parseJson(file, text);
  const checked = bundleSchema.safeParse(doc, { reportInput: true });
  if (!checked.success) throw zodError(file, checked.error);
  const bundle = checked.data;
  const root = doc as Record<string, unknown>;

  const facts: ServerFacts = {
    source: `windows-json:${file}`,
    platform: 'windows',
    maxRelationships: WINDOWS_MAX_RELATIONSHIPS,
    version: versionOf(bundle.Version.MajorVersion, bundle.Version.MinorVersion),
  };
  if (bundle.ComputerName) facts.name = bundle.ComputerName;
  if (bundle.Service) {
    const status = bundle.Service.Status;
    const service = serviceStatusOf(status);
    if (!service) throw invalid(file, 'Service.Status', 'a ServiceControllerStatus number (1-7) or name', status);
    facts.service = service;
  }
  if ('Scopes' in root) facts.scopes = scopesOf(file, root['Scopes']);
  if ('Failover' in root) facts.relationships = relationshipsOf(file, root['Failover']);
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

interface List {
  items: unknown[];
  at: (index: number) => string;
}

/**
 * ConvertTo-Json writes a list three ways: a JSON array; a lone object when PowerShell unrolled a
 * one-item pipeline; or { "value": [...], "Count": n } when the array was wrapped in a PSObject
 * (Windows PowerShell 5.1). A null means the cmdlet returned nothing.
 */
function listOf(file: string, path: string, value: unknown, what: string): List {
  if (value === null || value === undefined) return { items: [], at: () => path };
  if (Array.isArray(value)) return { items: value, at: (i) => `${path}[${i}]` };
  if (isRecord(value)) {
    const inner = value['value'];
    if (Array.isArray(inner) && 'Count' in value) return { items: inner, at: (i) => `${path}.value[${i}]` };
    return { items: [value], at: () => path };
  }
  throw invalid(file, path, `a list of ${what}`, value);
}

function scopesOf(file: string, value: unknown): ScopeFact[] {
  const list = listOf(file, 'Scopes', value, 'Get-DhcpServerv4Scope objects');
  const scopes: ScopeFact[] = new Array(list.items.length);
  for (let i = 0; i < list.items.length; i++) scopes[i] = scopeOf(file, list.at(i), list.items[i]);
  return scopes;
}

function scopeOf(file: string, path: string, item: unknown): ScopeFact {
  if (!isRecord(item)) throw invalid(file, path, 'a Get-DhcpServerv4Scope object', item);
  const name = item['Name'];
  if (name != null && typeof name !== 'string') throw invalid(file, `${path}.Name`, 'a string', name);
  const state = item['State'];
  const stateText = scopeStateOf(state);
  if (state != null && stateText === undefined) throw invalid(file, `${path}.State`, '"Active", "InActive", 0 or 1', state);
  const start = item['StartRange'];
  const end = item['EndRange'];
  return scopeFactOf(file, path, {
    scopeId: ipv4Of(file, `${path}.ScopeId`, item['ScopeId']),
    mask: ipv4Of(file, `${path}.SubnetMask`, item['SubnetMask']),
    start: start == null ? undefined : ipv4Of(file, `${path}.StartRange`, start),
    end: end == null ? undefined : ipv4Of(file, `${path}.EndRange`, end),
    name: name ?? undefined,
    state: stateText,
  });
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

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 often omits the position ("Unexpected token '}', ... is not valid JSON"), so find it.
    const found = locateJsonError(text);
    if (!found) throw new InputError(`${file}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    const { line, column } = lineColumn(text, found.at);
    throw new InputError(`${file}: invalid JSON at line ${line}, column ${column}: ${found.what}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/** Where a JSON text first goes wrong, only called after JSON.parse has already refused it. */
export function locateJsonError(s: string): { at: number; what: string } | undefined {
  let i = 0;
  const stack: string[] = [];
  const skipSpace = (): void => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const here = (): string => (i >= s.length ? 'end of input' : `${JSON.stringify(s[i])}`);
  const readString = (): string | undefined => {
    if (s[i] !== '"') return `expected a string, found ${here()}`;
    STRING_BODY.lastIndex = i + 1;
    STRING_BODY.exec(s);
    i = STRING_BODY.lastIndex;
    if (s[i] === '"') {
      i++;
      return undefined;
    }
    return i >= s.length ? 'unterminated string' : `invalid character ${here()} in string`;
  };
  const readKey = (): string | undefined => {
    skipSpace();
    if (s[i] !== '"') return `expected a property name in double quotes, found ${here()}`;
    const bad = readString();
    if (bad) return bad;
    skipSpace();
    if (s[i] !== ':') return `expected ':' after the property name, found ${here()}`;
    i++;
    return undefined;
  };
  for (;;) {
    skipSpace();
    const ch = s[i];
    if (ch === '{' || ch === '[') {
      i++;
      skipSpace();
      const close = ch === '{' ? '}' : ']';
      if (s[i] === close) i++;
      else {
        stack.push(close);
        if (ch === '{') {
          const bad = readKey();
          if (bad) return { at: i, what: bad };
        }
        continue;
      }
    } else if (ch === '"') {
      const bad = readString();
      if (bad) return { at: i, what: bad };
    } else if (ch !== undefined && (ch === '-' || (ch >= '0' && ch <= '9'))) {
      NUMBER.lastIndex = i;
      if (!NUMBER.exec(s)) return { at: i, what: 'invalid number' };
      i = NUMBER.lastIndex;
    } else if (s.startsWith('true', i) || s.startsWith('null', i)) i += 4;
    else if (s.startsWith('false', i)) i += 5;
    else return { at: i, what: `expected a value, found ${here()}` };
    // A value ended: close containers or move to the next element.
    for (;;) {
      skipSpace();
      const close = stack[stack.length - 1];
      if (close === undefined) return i < s.length ? { at: i, what: `unexpected ${here()} after the end of the document` } : undefined;
      if (s[i] === close) {
        stack.pop();
        i++;
        continue;
      }
      if (s[i] !== ',') return { at: i, what: `expected ',' or '${close}', found ${here()}` };
      i++;
      if (close === '}') {
        const bad = readKey();
        if (bad) return { at: i, what: bad };
      }
      break;
    }
  }
}
