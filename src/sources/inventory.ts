import { z } from 'zod';
import type { ScopeFact, ServerFacts } from '../facts.js';
import { PLATFORM_IDS, PRODUCTS } from '../platforms/ids.js';
import { parseIPv4 } from '../net/ipv4.js';
import { parseScopeRequest, subnetBounds } from '../net/scope.js';
import type { ScopeRequest } from '../plan.js';
import { parseDuration } from '../util/duration.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_INPUT_DEADLINE, readGuardedText, type InputDeadline } from '../util/read-guarded.js';
import { parseDocument } from '../util/document.js';

// Our own description of a server, for platforms (or situations) no other source covers.

const ipv4 = z.string().refine((s) => parseIPv4(s) !== undefined, { message: 'expected an IPv4 address' });

export const InventorySchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().optional(),
    platform: z.enum(PLATFORM_IDS),
    addresses: z.array(ipv4).optional(),
    staticAddress: z.boolean().describe('false when the server itself gets its address from DHCP').optional(),
    version: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, 'expected Major.Minor or Major.Minor.Build')
      .describe('Windows DhcpServer version (6.3, 10.0), Kea or dhcpd version (2.2.0)')
      .optional(),
    service: z.enum(['running', 'paused', 'stopped']).optional(),
    phase: z
      .enum(['before-deploy', 'live'])
      .describe('before-deploy: the server is not running yet (what only a running server answers is skipped)')
      .optional(),
    maxClockSkew: z.union([z.string(), z.number().positive()]).describe('the server\'s own permissible clock difference ("60s" or seconds)').optional(),
    maxRelationships: z.number().int().positive().describe("overrides the platform's own limit (Windows 31; Kea before 2.6: 1)").optional(),
    authorized: z.boolean().describe('authorized in Active Directory (Windows: Get-DhcpServerSetting IsAuthorized)').optional(),
    domainJoined: z.boolean().describe('member of a domain (Windows: Get-DhcpServerSetting IsDomainJoined)').optional(),
    relationships: z
      .array(z.strictObject({ name: z.string(), partner: z.string().optional(), mode: z.string().optional(), scopes: z.array(ipv4).default([]) }))
      .optional(),
    scopes: z
      .array(
        z.strictObject({
          scope: z.string().describe('"10.0.0.0/24"'),
          range: z
            .string()
            .regex(/^\S+\s*-\s*\S+$/, 'expected "first - last"')
            .optional(),
          name: z.string().optional(),
          state: z.string().optional(),
          subnetId: z.number().int().positive().optional(),
        }),
      )
      .optional(),
    identity: z.strictObject({ user: z.string().optional(), isDhcpAdministrator: z.boolean().optional() }).optional(),
  })
  .describe('dhcp-failover-check inventory: facts about one DHCP server');

type Inventory = z.infer<typeof InventorySchema>;

export async function loadInventory(path: string, deadline: InputDeadline = DEFAULT_INPUT_DEADLINE): Promise<ServerFacts> {
  const text = await readGuardedText(path, { purpose: 'inventory', ...deadline });
  return toFacts(await parseDocument(path, text, InventorySchema), path);
}

function toFacts(inv: Inventory, path: string): ServerFacts {
  const facts: ServerFacts = { source: `inventory:${path}`, platform: inv.platform };
  if (inv.name !== undefined) facts.name = inv.name;
  if (inv.addresses) facts.addresses = inv.addresses;
  if (inv.staticAddress !== undefined) facts.staticAddress = inv.staticAddress;
  if (inv.version) {
    const [major, minor, build] = inv.version.split('.').map(Number) as [number, number, number?];
    facts.version = { product: PRODUCTS[inv.platform], major, minor, text: inv.version, ...(build === undefined ? {} : { build }) };
  }
  if (inv.phase === 'before-deploy') facts.running = false;
  if (inv.service) facts.service = { state: inv.service, raw: inv.service };
  if (inv.maxClockSkew !== undefined) {
    facts.maxClockSkewSeconds = typeof inv.maxClockSkew === 'number' ? inv.maxClockSkew : parseDuration(inv.maxClockSkew, `${path}: maxClockSkew`) / 1000;
  }
  if (inv.maxRelationships !== undefined) facts.maxRelationships = inv.maxRelationships;
  if (inv.authorized !== undefined) facts.authorized = inv.authorized;
  if (inv.domainJoined !== undefined) facts.domainJoined = inv.domainJoined;
  if (inv.relationships) facts.relationships = inv.relationships.map((r) => ({ name: r.name, partner: r.partner, mode: r.mode, scopeIds: r.scopes }));
  if (inv.scopes) facts.scopes = inv.scopes.map((s, i) => toScope(s, `${path}: scopes[${i}]`));
  if (inv.identity) facts.identity = inv.identity;
  return facts;
}

function toScope(s: NonNullable<Inventory['scopes']>[number], where: string): ScopeFact {
  let req: ScopeRequest;
  try {
    req = parseScopeRequest(s.scope);
  } catch (err) {
    throw new InputError(`${where}.scope: ${(err as Error).message.replace(/^--scope: /, '')}`);
  }
  if (req.prefix === undefined) throw new InputError(`${where}.scope: "${s.scope}" needs a prefix length, e.g. ${s.scope}/24`);
  const scope: ScopeFact = { network: req.network, prefix: req.prefix };
  if (s.range) {
    const [first, last] = s.range.split('-').map((p) => parseIPv4(p.trim()));
    if (first === undefined || last === undefined || first > last) throw new InputError(`${where}.range: "${s.range}" is not a valid address range`);
    const [lo, hi] = subnetBounds(scope);
    if (first < lo || last > hi) throw new InputError(`${where}.range: "${s.range}" lies outside ${s.scope}`);
    scope.rangeStart = first;
    scope.rangeEnd = last;
  }
  if (s.name !== undefined) scope.name = s.name;
  if (s.state !== undefined) scope.state = s.state;
  if (s.subnetId !== undefined) scope.subnetId = s.subnetId;
  return scope;
}
