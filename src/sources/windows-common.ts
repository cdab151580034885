// Pieces both Windows sources share: how Windows writes addresses, versions, service states
// and scopes, and how a bad value is reported (file, path in the document, the value itself).

import type { ExclusionRange, ScopeFact, ServerVersion, ServiceStatus } from '../facts.js';
import { formatIPv4, maskToPrefix, parseIPv4, prefixToMask } from '../net/ipv4.js';
import { InputError } from '../util/errors.js';
import { PRODUCTS } from '../platforms/ids.js';

const SHOW_MAX = 60;

/** A value as a user would recognise it in their file, cut short so the message stays one line. */
export function show(value: unknown): string {
  let text: string;
  // Bare text reads like the file ("got 300.0.0.0"); quotes only where the bare text would
  // pass for a number, a boolean or nothing.
  if (typeof value === 'string') text = /^(?:-?[\d.]+|true|false|null|)$/.test(value) && !/\d\.\d+\./.test(value) ? JSON.stringify(value) : value;
  else if (value === undefined) text = 'nothing';
  else text = JSON.stringify(value) ?? String(value);
  text = text.replace(/\s+/g, ' ');
  return text.length > SHOW_MAX ? `${text.slice(0, SHOW_MAX - 3)}...` : text;
}

export function invalid(file: string, path: string, expected: string, got: unknown): InputError {
  return new InputError(`${file}: ${path}: expected ${expected}, got ${show(got)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An IPv4 address as Windows tools write it: a dotted string, or a .NET IPAddress object as
 * ConvertTo-Json serialises it. `IPAddressToString` is preferred; `Address` is the Int64 whose
 * low four bytes are the address in network order read little-endian (10.0.0.1 -> 16777226).
 */
export function ipv4Of(file: string, path: string, value: unknown): number {
  if (typeof value === 'string') {
    const parsed = parseIPv4(value.trim());
    if (parsed !== undefined) return parsed;
  } else if (isRecord(value)) {
    const text = value['IPAddressToString'];
    if (typeof text === 'string') return ipv4Of(file, `${path}.IPAddressToString`, text);
    const raw = value['Address'];
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= 0xffffffff) {
      return (raw & 0xff) * 0x1000000 + ((raw >>> 8) & 0xff) * 0x10000 + ((raw >>> 16) & 0xff) * 0x100 + (raw >>> 24);
    }
    if (raw !== undefined) throw invalid(file, `${path}.Address`, 'an IPv4 address as a 32-bit integer', raw);
  }
  throw invalid(file, path, 'an IPv4 address', value);
}

export function versionOf(major: number, minor: number): ServerVersion {
  return { product: PRODUCTS.windows, major, minor, text: `${major}.${minor}` };
}

// System.ServiceProcess.ServiceControllerStatus, which ConvertTo-Json writes as a number.
const SERVICE_STATUS: Record<number, string> = {
  1: 'Stopped',
  2: 'StartPending',
  3: 'StopPending',
  4: 'Running',
  5: 'ContinuePending',
  6: 'PausePending',
  7: 'Paused',
};

/** Undefined when the value is neither a known status number nor a status name. */
export function serviceStatusOf(value: number | string): ServiceStatus | undefined {
  const name = typeof value === 'number' ? SERVICE_STATUS[value] : value.trim();
  if (name === undefined || !/^[A-Za-z]+$/.test(name)) return undefined;
  const lower = name.toLowerCase();
  const state = lower === 'running' ? 'running' : lower === 'paused' ? 'paused' : lower === 'stopped' ? 'stopped' : 'other';
  return { state, raw: String(value) };
}

// DHCP_SUBNET_STATE: 0 enabled, 1 disabled; the cmdlets print them as Active / InActive.
export function scopeStateOf(value: unknown): string | undefined {
  if (value === 0) return 'Active';
  if (value === 1) return 'InActive';
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

export interface RawScope {
  scopeId: number;
  mask: number;
  start?: number;
  end?: number;
  name?: string;
  state?: string;
}

/**
 * Checks a scope the way the DHCP server itself would, so nonsense never reaches a check.
 * `sep` joins `path` to a field name: "." in JSON paths, "/" in XML ones.
 */
export function scopeFactOf(file: string, path: string, raw: RawScope, sep = '.'): ScopeFact {
  const label = `scope ${formatIPv4(raw.scopeId)}${raw.name ? ` (${raw.name})` : ''}`;
  const prefix = maskToPrefix(raw.mask);
  if (prefix === undefined) {
    throw new InputError(`${file}: ${path}${sep}SubnetMask: ${formatIPv4(raw.mask)} is not a contiguous subnet mask (${label})`);
  }
  const mask = prefixToMask(prefix);
  if ((raw.scopeId & ~mask) >>> 0 !== 0) {
    throw new InputError(
      `${file}: ${path}${sep}ScopeId: ${formatIPv4(raw.scopeId)} has host bits set for mask ${formatIPv4(mask)}; ` +
        `the network is ${formatIPv4((raw.scopeId & mask) >>> 0)}`,
    );
  }
  const last = (raw.scopeId | ~mask) >>> 0;
  const fact: ScopeFact = { network: raw.scopeId, prefix };
  for (const [key, value] of [
    ['StartRange', raw.start],
    ['EndRange', raw.end],
  ] as const) {
    if (value !== undefined && (value < raw.scopeId || value > last)) {
      throw new InputError(`${file}: ${path}${sep}${key}: ${formatIPv4(value)} is outside ${formatIPv4(raw.scopeId)}/${prefix} (${label})`);
    }
  }
  if (raw.start !== undefined && raw.end !== undefined && raw.start > raw.end) {
    throw new InputError(`${file}: ${path}: StartRange ${formatIPv4(raw.start)} is after EndRange ${formatIPv4(raw.end)} (${label})`);
  }
  if (raw.start !== undefined) fact.rangeStart = raw.start;
  if (raw.end !== undefined) fact.rangeEnd = raw.end;
  if (raw.name !== undefined) fact.name = raw.name;
  if (raw.state !== undefined) fact.state = raw.state;
  return fact;
}

export interface List {
  items: unknown[];
  at: (index: number) => string;
}

/**
 * ConvertTo-Json writes a list three ways: a JSON array; a lone object when PowerShell unrolled a
 * one-item pipeline; or { "value": [...], "Count": n } when the array was wrapped in a PSObject
 * (Windows PowerShell 5.1). A null means the cmdlet returned nothing.
 */
export function listOf(file: string, path: string, value: unknown, what: string): List {
  if (value === null || value === undefined) return { items: [], at: () => path };
  if (Array.isArray(value)) return { items: value, at: (i) => `${path}[${i}]` };
  if (isRecord(value)) {
    const inner = value['value'];
    if (Array.isArray(inner) && 'Count' in value) return { items: inner, at: (i) => `${path}.value[${i}]` };
    return { items: [value], at: () => path };
  }
  throw invalid(file, path, `a list of ${what}`, value);
}

/** An exclusion range as read, before it is matched with its scope. */
export interface RawExclusion {
  /** Where it is in the file; computed only for an error message (100 000 of them are read). */
  path: () => string;
  scopeId: number;
  start: number;
  end: number;
}

/**
 * Gives each scope its exclusion ranges. An exclusion outside its scope, or reversed, is refused:
 * Windows writes neither, so the file is not what it seems. One naming no listed scope is dropped
 * (the scope was left out of the Scopes list).
 */
export function attachExclusions(file: string, what: string, scopes: ScopeFact[], exclusions: RawExclusion[]): void {
  if (exclusions.length === 0) return;
  const byNetwork = scopes.length === 1 ? undefined : new Map(scopes.map((s) => [s.network, s]));
  for (const x of exclusions) {
    const scope = byNetwork ? byNetwork.get(x.scopeId) : scopes[0]!.network === x.scopeId ? scopes[0] : undefined;
    if (!scope) continue;
    (scope.exclusions ??= []).push(exclusionRangeOf(file, what, scope, x));
  }
}

/** One exclusion range of `scope`, checked: inside the scope, start before end. */
export function exclusionRangeOf(file: string, what: string, scope: ScopeFact, x: RawExclusion): ExclusionRange {
  const last = (scope.network | ~prefixToMask(scope.prefix)) >>> 0;
  if (x.start > x.end) throw new InputError(`${file}: ${x.path()}: StartRange ${formatIPv4(x.start)} is after EndRange ${formatIPv4(x.end)} (${what})`);
  if (x.start < scope.network || x.end > last) {
    throw new InputError(
      `${file}: ${x.path()}: ${formatIPv4(x.start)}-${formatIPv4(x.end)} is outside scope ${formatIPv4(scope.network)}/${scope.prefix} (${what})`,
    );
  }
  return { start: x.start, end: x.end };
}
