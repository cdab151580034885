import { z } from 'zod';
import { PLATFORM_IDS } from '../platforms/ids.js';
import { parseIPv4 } from '../net/ipv4.js';

// The inventory's schema (published as examples/inventory.schema.json), and, for its two lists
// that may be long (scopes, relationships), hand checks that count an element's issues exactly as
// zod would: zod reads a valid scope in ~0.3 µs but takes ~13 µs to refuse one (it builds its
// issues), so 400,000 bad scopes are counted here and only the few that are reported go to zod
// for their words. test/unit/sources/inventory-schema.test.ts holds the counts to zod's.

const ipv4 = z.string().refine((s) => parseIPv4(s) !== undefined, { message: 'expected an IPv4 address' });

const RANGE = /^\S+\s*-\s*\S+$/;

export const RelationshipSchema = z.strictObject({
  name: z.string(),
  partner: z.string().optional(),
  mode: z.string().optional(),
  scopes: z.array(ipv4).default([]),
});

export const ScopeSchema = z.strictObject({
  scope: z.string().describe('"10.0.0.0/24"'),
  range: z.string().regex(RANGE, 'expected "first - last"').optional(),
  name: z.string().optional(),
  state: z.string().optional(),
  subnetId: z.number().int().positive().optional(),
});

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
    relationships: z.array(RelationshipSchema).optional(),
    scopes: z.array(ScopeSchema).optional(),
    identity: z.strictObject({ user: z.string().optional(), isDhcpAdministrator: z.boolean().optional() }).optional(),
  })
  .describe('dhcp-failover-check inventory: facts about one DHCP server');

export type Inventory = z.infer<typeof InventorySchema>;
export type InventoryScope = z.infer<typeof ScopeSchema>;
export type InventoryRelationship = z.infer<typeof RelationshipSchema>;

/**
 * Everything but the two long lists, checked whole by zod. The lists follow `relationships` and
 * precede only `identity` in the schema's order, which is the order zod reports issues in.
 */
export const RestSchema = InventorySchema.omit({ relationships: true, scopes: true });

/** An object as zod's object schemas take one (its util.isObject). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SCOPE_KEYS = new Set(['scope', 'range', 'name', 'state', 'subnetId']);
const RELATIONSHIP_KEYS = new Set(['name', 'partner', 'mode', 'scopes']);

function unknownKeys(item: Record<string, unknown>, known: ReadonlySet<string>): number {
  for (const key in item) if (!known.has(key)) return 1; // zod: one issue names them all
  return 0;
}

/** z.string().optional(): one issue for a present value that is no string (null included). */
const optionalText = (v: unknown): number => (v !== undefined && typeof v !== 'string' ? 1 : 0);

/** z.number().int().positive(): invalid_type, int (not integer, or beyond safe), or too_small. */
function positiveInt(v: number): number {
  if (!Number.isFinite(v)) return 1;
  if (!Number.isInteger(v)) return 1;
  if (!Number.isSafeInteger(v)) return v > 0 ? 1 : 2; // too_big / too_small of the int format, and > 0
  return v > 0 ? 0 : 1;
}

/** How many issues zod's ScopeSchema reports for `item` (0: valid). */
export function scopeIssues(item: unknown): number {
  if (!isPlainObject(item)) return 1;
  let n = unknownKeys(item, SCOPE_KEYS);
  if (typeof item['scope'] !== 'string') n++;
  const range = item['range'];
  if (range !== undefined && (typeof range !== 'string' || !RANGE.test(range))) n++;
  n += optionalText(item['name']) + optionalText(item['state']);
  const id = item['subnetId'];
  if (id !== undefined) n += typeof id === 'number' ? positiveInt(id) : 1;
  return n;
}

/** How many issues zod's RelationshipSchema reports for `item` (0: valid). */
export function relationshipIssues(item: unknown): number {
  if (!isPlainObject(item)) return 1;
  let n = unknownKeys(item, RELATIONSHIP_KEYS);
  if (typeof item['name'] !== 'string') n++;
  n += optionalText(item['partner']) + optionalText(item['mode']);
  const scopes = item['scopes'];
  if (scopes !== undefined) {
    if (!Array.isArray(scopes)) n++;
    else for (const id of scopes) if (typeof id !== 'string' || parseIPv4(id) === undefined) n++;
  }
  return n;
}
