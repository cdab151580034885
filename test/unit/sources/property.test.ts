// Property tests (fast-check) for the file sources: inventory, windows-json and windows-export.
// Only the stable entry points (loadInventory / loadWindowsJson / loadWindowsExport on a path)
// are used, on files written to a temp dir, so the loaders can change inside freely.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import type { ScopeFact, ServerFacts } from '../../../src/facts.js';
import { formatIPv4, prefixToMask } from '../../../src/net/ipv4.js';
import { loadInventory } from '../../../src/sources/inventory.js';
import { loadWindowsExport } from '../../../src/sources/windows-export.js';
import { loadWindowsJson } from '../../../src/sources/windows-json.js';
import { assertNames, inputOrAsync, numRuns, tempFiles, warningsDuring } from '../../helpers/property-files.js';

/**
 * Every property here writes and loads a real file (~0.7 ms a run on 2 cores, most of it the
 * async open/stat/read/close): half of FC_RUNS (5 000 by default) keeps each near 4 s.
 */
const fileRuns = Math.ceil(numRuns / 2);

const files = tempFiles('sources');
after(() => files.remove());

/** A scope as generated: a CIDR network (host bits zero) and, sometimes, a range inside it. */
interface GenScope {
  network: number;
  prefix: number;
  start?: number;
  end?: number;
}

const scopeArb: fc.Arbitrary<GenScope> = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 8, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 32 }) }),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }),
    fc.constantFrom('both', 'start', 'end'),
  )
  .map(([prefix, addr, range, which]) => {
    const network = (addr & prefixToMask(prefix)) >>> 0;
    const size = 2 ** (32 - prefix);
    const s: GenScope = { network, prefix };
    if (range) {
      const [a, b] = [Math.floor(range[0] * size), Math.floor(range[1] * size)].map((x) => network + Math.min(x, size - 1)) as [number, number];
      if (which !== 'end') s.start = Math.min(a, b);
      if (which !== 'start') s.end = Math.max(a, b);
    }
    return s;
  });

/** What every loaded scope must be, whatever the file said. */
function assertSane(facts: ServerFacts): void {
  for (const s of facts.scopes ?? []) {
    assert.ok(Number.isInteger(s.prefix) && s.prefix >= 0 && s.prefix <= 32, `prefix ${s.prefix}`);
    assert.ok(Number.isInteger(s.network) && s.network >= 0 && s.network <= 0xffffffff);
    assert.equal((s.network & ~prefixToMask(s.prefix)) >>> 0, 0, `${formatIPv4(s.network)}/${s.prefix} has no host bits`);
    const last = s.network + 2 ** (32 - s.prefix) - 1;
    for (const x of [s.rangeStart, s.rangeEnd])
      if (x !== undefined) assert.ok(x >= s.network && x <= last, `range inside ${formatIPv4(s.network)}/${s.prefix}`);
    if (s.rangeStart !== undefined && s.rangeEnd !== undefined) assert.ok(s.rangeStart <= s.rangeEnd);
  }
}

const range = (s: GenScope): Pick<ScopeFact, 'rangeStart' | 'rangeEnd'> => ({
  ...(s.start === undefined ? {} : { rangeStart: s.start }),
  ...(s.end === undefined ? {} : { rangeEnd: s.end }),
});

/** Mutations of a text: truncate it, replace one character, delete one, or insert one. */
const textMutation = fc.tuple(
  fc.constantFrom('truncate', 'flip', 'delete', 'insert'),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '<', '>', '/', '&', '\\', '0', '9', '.', 'x', ' ', '\u0000', '\uffff', '-'),
);
function mutateText(text: string, [kind, where, ch]: [string, number, string]): string {
  const at = Math.min(text.length - 1, Math.floor(where * text.length));
  switch (kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'flip':
      return text.slice(0, at) + ch + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + ch + text.slice(at);
  }
}

/** Replaces the value at a random place in a JSON tree with `value` (a type change, mostly). */
function mutateTree(doc: unknown, where: number, value: unknown): unknown {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) {
        slots.push({ parent: node, key: i });
        walk(v);
      }
    } else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) slots.push({ parent: node as Record<string, unknown>, key: k }), walk(v);
  };
  const copy = structuredClone(doc);
  walk(copy);
  const slot = slots[Math.floor(where * slots.length)];
  if (!slot) return value;
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
  return copy;
}

// ---------------------------------------------------------------- inventory

const INV_PLATFORMS = ['windows', 'kea', 'isc-dhcpd', 'other'] as const;
const inventoryArb = fc.record({
  platform: fc.constantFrom(...INV_PLATFORMS),
  name: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  addresses: fc.option(fc.array(fc.ipV4(), { maxLength: 3 }), { nil: undefined }),
  version: fc.option(fc.tuple(fc.nat(20), fc.nat(20), fc.option(fc.nat(30000), { nil: undefined })), { nil: undefined }),
  service: fc.option(fc.constantFrom('running', 'paused', 'stopped'), { nil: undefined }),
  maxClockSkew: fc.option(fc.oneof(fc.integer({ min: 1, max: 3600 }), fc.constantFrom('60s', '1m', '1.5m', '500ms')), { nil: undefined }),
  scopes: fc.option(
    fc.array(fc.tuple(scopeArb, fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined })), {
      maxLength: 6,
    }),
    { nil: undefined },
  ),
  identity: fc.option(fc.record({ user: fc.string({ maxLength: 8 }), isDhcpAdministrator: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
});
type GenInventory = typeof inventoryArb extends fc.Arbitrary<infer T> ? T : never;

function inventoryDoc(g: GenInventory): Record<string, unknown> {
  const doc: Record<string, unknown> = { platform: g.platform };
  if (g.name !== undefined) doc.name = g.name;
  if (g.addresses) doc.addresses = g.addresses;
  if (g.version) doc.version = g.version.filter((x) => x !== undefined).join('.');
  if (g.service) doc.service = g.service;
  if (g.maxClockSkew !== undefined) doc.maxClockSkew = g.maxClockSkew;
  if (g.identity) doc.identity = g.identity;
  if (g.scopes) {
    doc.scopes = g.scopes.map(([s, name, subnetId]) => ({
      scope: `${formatIPv4(s.network)}/${s.prefix}`,
      ...(s.start !== undefined && s.end !== undefined ? { range: `${formatIPv4(s.start)} - ${formatIPv4(s.end)}` } : {}),
      ...(name === undefined ? {} : { name }),
      ...(subnetId === undefined ? {} : { subnetId }),
    }));
  }
  return doc;
}

describe('loadInventory', () => {
  it('a generated inventory (JSON or YAML) maps to the facts it describes', async () => {
    await fc.assert(
      fc.asyncProperty(inventoryArb, fc.boolean(), async (g, yaml) => {
        const doc = inventoryDoc(g);
        const path = files.file(yaml ? 'inv.yaml' : 'inv.json', yaml ? toYaml(doc) : JSON.stringify(doc, null, 1));
        const r = await inputOrAsync(() => loadInventory(path));
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        const f = r.value;
        assert.equal(f.platform, g.platform);
        assert.equal(f.source, `inventory:${path}`);
        assert.equal(f.name, g.name);
        assert.deepEqual(f.addresses, g.addresses);
        if (g.version) {
          const [major, minor, build] = g.version;
          assert.deepEqual([f.version?.major, f.version?.minor, f.version?.build], [major, minor, build]);
        } else assert.equal(f.version, undefined);
        assert.equal(f.service?.state, g.service);
        const skew =
          g.maxClockSkew === undefined
            ? undefined
            : typeof g.maxClockSkew === 'number'
              ? g.maxClockSkew
              : { '60s': 60, '1m': 60, '1.5m': 90, '500ms': 0.5 }[g.maxClockSkew];
        assert.equal(f.maxClockSkewSeconds, skew);
        // The platform owns the limit (Windows 31); a source states one only when the file does.
        assert.equal(f.maxRelationships, undefined);
        assert.deepEqual(f.identity, g.identity && { ...g.identity });
        assert.deepEqual(
          f.scopes,
          g.scopes?.map(([s, name, subnetId]) => ({
            network: s.network,
            prefix: s.prefix,
            ...(s.start !== undefined && s.end !== undefined ? { rangeStart: s.start, rangeEnd: s.end } : {}),
            ...(name === undefined ? {} : { name }),
            ...(subnetId === undefined ? {} : { subnetId }),
          })),
        );
      }),
      { numRuns: fileRuns },
    );
  });

  it('mutated inventories, random documents and random text give sane facts or an InputError naming the file', async () => {
    const text = fc.oneof(
      fc.tuple(inventoryArb, textMutation, fc.boolean()).map(([g, m, yaml]) => mutateText(yaml ? toYaml(inventoryDoc(g)) : JSON.stringify(inventoryDoc(g)), m)),
      fc
        .tuple(inventoryArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.jsonValue({ maxDepth: 2 }))
        .map(([g, w, v]) => JSON.stringify(mutateTree(inventoryDoc(g), w, v))),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('inv-bad.yaml', t);
        const r = await inputOrAsync(() => loadInventory(path));
        if (!r.ok) return assertNames(r.error, path);
        assert.ok((INV_PLATFORMS as readonly string[]).includes(r.value.platform));
        assertSane(r.value);
      }),
      { numRuns: fileRuns },
    );
  });
});

describe('YAML warnings', () => {
  it('loading an inventory never prints a YAML warning to stderr (errors are one line)', async () => {
    const text = fc.oneof(
      fc.constantFrom('%FOO bar\n---\nplatform: kea\n', '!custom platform: kea\n', '&a: 1\nplatform: kea\n'),
      fc.string({ unit: fc.constantFrom('%', '!', '&', '*', ':', ' ', 'a', '\n', '-'), maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('warn.yaml', t);
        assert.deepEqual(await warningsDuring(() => loadInventory(path)), []);
      }),
      { numRuns: fileRuns },
    );
  });
});

// ---------------------------------------------------------------- windows-json

/** The low four bytes of .NET IPAddress.Address: the address in network order, read little-endian. */
const dotnetAddress = (v: number) => (v >>> 24) + ((v >>> 16) & 255) * 0x100 + ((v >>> 8) & 255) * 0x10000 + (v & 255) * 0x1000000;
type AddrForm = 'string' | 'object' | 'address-only' | 'text-only';
function addressAs(v: number, form: AddrForm): unknown {
  switch (form) {
    case 'string':
      return formatIPv4(v);
    case 'object':
      return { Address: dotnetAddress(v), AddressFamily: 2, ScopeId: null, IsIPv6Multicast: false, IPAddressToString: formatIPv4(v) };
    case 'address-only':
      return { Address: dotnetAddress(v) };
    default:
      return { IPAddressToString: formatIPv4(v) };
  }
}
const addrForm = fc.constantFrom<AddrForm>('string', 'object', 'address-only', 'text-only');

const jsonScopeArb = fc.record({
  scope: scopeArb,
  forms: fc.tuple(addrForm, addrForm, addrForm, addrForm),
  name: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  state: fc.option(fc.constantFrom<0 | 1 | 'Active' | 'InActive'>(0, 1, 'Active', 'InActive'), { nil: undefined }),
});
type JsonScope = typeof jsonScopeArb extends fc.Arbitrary<infer T> ? T : never;

const STATUS_STATE: Record<string, string> = { 1: 'stopped', 4: 'running', 7: 'paused', Stopped: 'stopped', Running: 'running', Paused: 'paused' };
const bundleArb = fc.record({
  scopes: fc.array(jsonScopeArb, { maxLength: 6 }),
  listForm: fc.constantFrom('array', 'collapsed', 'wrapped', 'null'),
  status: fc.option(fc.constantFrom<number | string>(1, 2, 3, 4, 5, 6, 7, 'Running', 'Stopped', 'Paused', 'StartPending'), { nil: undefined }),
  major: fc.nat(12),
  minor: fc.nat(5),
  name: fc.option(fc.domain(), { nil: undefined }),
});
type Bundle = typeof bundleArb extends fc.Arbitrary<infer T> ? T : never;

function bundleDoc(b: Bundle): Record<string, unknown> {
  const items = b.scopes.map(({ scope: s, forms, name, state }) => ({
    ScopeId: addressAs(s.network, forms[0]),
    SubnetMask: addressAs(prefixToMask(s.prefix), forms[1]),
    ...(s.start === undefined ? {} : { StartRange: addressAs(s.start, forms[2]) }),
    ...(s.end === undefined ? {} : { EndRange: addressAs(s.end, forms[3]) }),
    Name: name,
    Description: '',
    LeaseDuration: { Ticks: 6912000000000, Days: 8 },
    ...(state === undefined ? {} : { State: state }),
    Type: 'Dhcp',
  }));
  let scopes: unknown;
  if (b.listForm === 'wrapped') scopes = { value: items, Count: items.length };
  else if (b.listForm === 'collapsed' && items.length === 1) scopes = items[0];
  else if (b.listForm === 'null' && items.length === 0) scopes = null;
  else scopes = items;
  return {
    ComputerName: b.name ?? null,
    Version: { MajorVersion: b.major, MinorVersion: b.minor },
    ...(b.status === undefined ? {} : { Service: { Name: 'DHCPServer', Status: b.status } }),
    Scopes: scopes,
  };
}

const expectedScope = ({ scope: s, name, state }: JsonScope): ScopeFact => ({
  network: s.network,
  prefix: s.prefix,
  ...range(s),
  ...(name === null ? {} : { name }),
  ...(state === undefined ? {} : { state: state === 0 ? 'Active' : state === 1 ? 'InActive' : state }),
  type: 'Dhcp',
});

describe('loadWindowsJson', () => {
  it('a generated bundle (address objects/strings, collapsed/array/wrapped lists, status numbers/names) gives exactly its scopes', async () => {
    await fc.assert(
      fc.asyncProperty(bundleArb, fc.boolean(), async (b, bom) => {
        const text = JSON.stringify(bundleDoc(b), null, bom ? 4 : undefined);
        const path = files.file('bundle.json', bom ? `\ufeff${text}` : text);
        const r = await inputOrAsync(() => loadWindowsJson(path));
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        const f = r.value;
        assert.equal(f.platform, 'windows');
        assert.deepEqual([f.version?.major, f.version?.minor], [b.major, b.minor]);
        assert.equal(f.name, b.name);
        assert.equal(f.service?.state, b.status === undefined ? undefined : (STATUS_STATE[b.status] ?? 'other'));
        assert.deepEqual(f.scopes, b.scopes.map(expectedScope));
      }),
      { numRuns: fileRuns },
    );
  });

  it('truncated, byte-flipped or retyped bundles give sane facts or an InputError naming the file', async () => {
    const text = fc.oneof(
      fc.tuple(bundleArb, textMutation).map(([b, m]) => mutateText(JSON.stringify(bundleDoc(b)), m)),
      fc
        .tuple(
          bundleArb,
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 2 ** 32, 1.5, '10.0.0.256', '', {}, [])),
        )
        .map(([b, w, v]) => JSON.stringify(mutateTree(bundleDoc(b), w, v))),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('bundle-bad.json', t);
        const r = await inputOrAsync(() => loadWindowsJson(path));
        if (!r.ok) return assertNames(r.error, path);
        assert.equal(r.value.platform, 'windows');
        assertSane(r.value);
      }),
      { numRuns: fileRuns },
    );
  });
});

// ---------------------------------------------------------------- windows-export

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlScopeArb = fc.record({
  scope: scopeArb,
  name: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  nameAs: fc.constantFrom('text', 'cdata', 'charref'),
  state: fc.option(fc.constantFrom('Active', 'InActive'), { nil: undefined }),
  emptyRange: fc.boolean(),
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
});
type XmlScope = typeof xmlScopeArb extends fc.Arbitrary<infer T> ? T : never;
const exportArb = fc.record({
  scopes: fc.array(xmlScopeArb, { maxLength: 6 }),
  major: fc.nat(12),
  minor: fc.nat(5),
  bom: fc.boolean(),
  comments: fc.boolean(),
  emptyScopes: fc.constantFrom('self-closing', 'pair', 'absent'),
});
type Export = typeof exportArb extends fc.Arbitrary<infer T> ? T : never;

function scopeXml(x: XmlScope, comments: boolean): string {
  const s = x.scope;
  const el = (tag: string, v: string) => `<${tag}>${v}</${tag}>`;
  const name =
    x.name === undefined
      ? undefined
      : x.nameAs === 'cdata' && !x.name.includes(']]>')
        ? el('Name', `<![CDATA[${x.name}]]>`)
        : x.nameAs === 'charref'
          ? el('Name', [...x.name].map((c) => `&#${c.codePointAt(0)};`).join(''))
          : el('Name', xmlEscape(x.name));
  const parts = [
    el('ScopeId', formatIPv4(s.network)),
    el('SubnetMask', formatIPv4(prefixToMask(s.prefix))),
    s.start === undefined ? (x.emptyRange ? '<StartRange />' : '') : el('StartRange', formatIPv4(s.start)),
    s.end === undefined ? (x.emptyRange ? '<EndRange></EndRange>' : '') : el('EndRange', ` ${formatIPv4(s.end)}\n`),
    name ?? '',
    x.state === undefined ? '' : el('State', x.state),
    el('LeaseDuration', '8.00:00:00'),
    `<OptionValues><OptionValue><OptionId>3</OptionId><Value>${formatIPv4(s.network + 1)}</Value></OptionValue></OptionValues>`,
  ];
  // A random order of the fields: Export-DhcpServer's order is not something we rely on.
  const order = parts
    .map((p, i) => ({ p, k: x.order[i]! }))
    .sort((a, b) => a.k - b.k)
    .map((e) => e.p);
  return `<Scope>${order.join(comments ? '<!-- c -->\n' : '\n')}</Scope>`;
}

function exportXml(e: Export): string {
  const scopes =
    e.scopes.length > 0
      ? `<Scopes>\n${e.scopes.map((s) => scopeXml(s, e.comments)).join('\n')}\n</Scopes>`
      : e.emptyScopes === 'self-closing'
        ? '<Scopes />'
        : e.emptyScopes === 'pair'
          ? '<Scopes></Scopes>'
          : '';
  return (
    `${e.bom ? '\ufeff' : ''}<?xml version="1.0" encoding="utf-8"?>\n` +
    `<DHCPServer>\n  <MajorVersion>${e.major}</MajorVersion>\n  <MinorVersion>${e.minor}</MinorVersion>\n` +
    `  <IPv4>\n    <ConflictDetectionAttempts>0</ConflictDetectionAttempts>\n    ${scopes}\n  </IPv4>\n` +
    `${e.comments ? '  <!-- IPv6 omitted -->\n' : ''}  <IPv6><Scopes /></IPv6>\n</DHCPServer>\n`
  );
}

describe('loadWindowsExport', () => {
  it('a generated Export-DhcpServer file gives exactly its scopes (network, prefix, range, name, state)', async () => {
    await fc.assert(
      fc.asyncProperty(exportArb, async (e) => {
        const path = files.file('export.xml', exportXml(e));
        const r = await inputOrAsync(() => loadWindowsExport(path));
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        assert.deepEqual([r.value.version?.major, r.value.version?.minor], [e.major, e.minor]);
        assert.deepEqual(
          r.value.scopes,
          e.scopes.map((x) => {
            const name = x.name?.trim();
            return { network: x.scope.network, prefix: x.scope.prefix, ...range(x.scope), ...(name ? { name } : {}), ...(x.state ? { state: x.state } : {}) };
          }),
        );
      }),
      { numRuns: fileRuns },
    );
  });

  it('truncated, byte-flipped or edited exports give sane facts or an InputError naming the file', async () => {
    const edits = fc.constantFrom(
      (t: string) => t.replace('<Scope>', '<Scope><Scope>'),
      (t: string) => t.replace('</Scopes>', ''),
      (t: string) => t.replace(/<ScopeId>[^<]*/, '<ScopeId>10.0.0.300'),
      (t: string) => t.replace(/<SubnetMask>[^<]*/, '<SubnetMask>255.0.255.0'),
      (t: string) => t.replace(/<StartRange>[^<]*/, '<StartRange>0.0.0.0'),
      (t: string) => t.replace(/<MajorVersion>[^<]*/, '<MajorVersion>ten'),
      (t: string) => t.replace('<Name>', '<Name>&bogus;'),
      (t: string) => t.replace('<DHCPServer>', '<!DOCTYPE x [<!ENTITY a "b">]><DHCPServer>'),
      (t: string) => t.replace('<IPv4>', '<IPv4 a="<">'),
      (t: string) => `${t}<DHCPServer/>`,
    );
    const text = fc.oneof(
      fc.tuple(exportArb, textMutation).map(([e, m]) => mutateText(exportXml(e), m)),
      fc.tuple(exportArb, edits).map(([e, edit]) => edit(exportXml(e))),
      fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '-', '[', 'D', 'H', 'C', 'P', 'S', 'e', 'r', 'v', '&', ';', '#', ' '), maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('export-bad.xml', t);
        const r = await inputOrAsync(() => loadWindowsExport(path));
        if (!r.ok) return assertNames(r.error, path);
        assert.equal(r.value.platform, 'windows');
        assertSane(r.value);
      }),
      { numRuns: fileRuns },
    );
  });
});
