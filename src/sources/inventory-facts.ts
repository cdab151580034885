import type { z } from 'zod';
import type { Relationship, ScopeFact, ServerFacts } from '../facts.js';
import { parseIPv4 } from '../net/ipv4.js';
import { parseScopeRequest, scopeRequestOf, subnetBounds } from '../net/scope.js';
import { PRODUCTS } from '../platforms/ids.js';
import { zodIssue } from '../util/document.js';
import { parseDuration } from '../util/duration.js';
import { InputError } from '../util/errors.js';
import {
  InventorySchema,
  RelationshipSchema,
  RestSchema,
  ScopeSchema,
  relationshipIssues,
  scopeIssues,
  type InventoryRelationship,
  type InventoryScope,
} from './inventory-schema.js';

// An inventory's facts, whichever way its text was read: the JSON reader hands over each element
// of `scopes` and `relationships` as it ends (inventory-json.ts), the YAML path the elements of
// its parsed document. Each element is checked and turned into its fact at once; only the facts
// stay. Every problem is counted (a number: O(1) memory), the first is worded, and the refusal
// names the one zod would have named had the whole document been checked at once (an unknown
// key first, then the schema's order), then "(and N more)".

/** How a number was written, by its path in the document, for one that overflowed (`1e400`). */
export type SourceOf = (path: readonly PropertyKey[]) => string | undefined;

type ListName = 'relationships' | 'scopes';

interface ListKind {
  schema: z.ZodType;
  issues: (item: unknown) => number;
  known: ReadonlySet<string>;
  /** The fact of an element the schema accepts, or undefined where `fact` throws. */
  quick: (item: unknown) => ScopeFact | Relationship | undefined;
  /** The same, or its refusal (an InputError); `where` is `file: list[i]`. */
  fact: (item: unknown, where: string) => ScopeFact | Relationship;
}

const KINDS: Record<ListName, ListKind> = {
  relationships: {
    schema: RelationshipSchema,
    issues: relationshipIssues,
    known: new Set(Object.keys(RelationshipSchema.shape)),
    quick: (item) => relationshipOf(item as InventoryRelationship),
    fact: (item) => relationshipOf(item as InventoryRelationship),
  },
  scopes: {
    schema: ScopeSchema,
    issues: scopeIssues,
    known: new Set(Object.keys(ScopeSchema.shape)),
    quick: (item) => scopeFactOf(item as InventoryScope),
    fact: (item, where) => toScope(item as InventoryScope, where),
  },
};

const relationshipOf = (r: InventoryRelationship): Relationship => ({ name: r.name, partner: r.partner, mode: r.mode, scopeIds: r.scopes ?? [] });

/** One list's facts and its first problems, in document order. */
class List {
  facts: (ScopeFact | Relationship)[] = [];
  /** Its first schema issue, and its first unknown key (zod's refusal names that one first). */
  firstIssue: string | undefined;
  firstUnknown: string | undefined;
  /** Its first element that passed the schema but not the conversion (toScope). */
  firstConversion: string | undefined;
}

type Issue = z.ZodError['issues'][number];

export class InventoryCollector {
  private problems = 0;
  private rest: z.infer<typeof RestSchema> | undefined;
  private restIssues: Issue[] = [];
  private restSource: SourceOf = () => undefined;
  private readonly lists: Partial<Record<ListName, List>> = {};

  constructor(readonly file: string) {}

  /** The document's other members, as one object (the lists left out). */
  setRest(rest: Record<string, unknown>, sourceOf: SourceOf): void {
    const parsed = RestSchema.safeParse(rest, { reportInput: true });
    if (parsed.success) this.rest = parsed.data;
    else {
      this.restIssues = parsed.error.issues;
      this.restSource = sourceOf;
      this.problems += parsed.error.issues.length;
    }
  }

  /** A list begins (it is an array). */
  begin(name: ListName): void {
    this.lists[name] = new List();
  }

  /** The list's member is no array: zod's words for it. */
  notArray(name: ListName, value: unknown, sourceOf: SourceOf): void {
    const list = new List();
    this.lists[name] = list;
    const parsed = InventorySchema.shape[name].safeParse(value, { reportInput: true });
    if (parsed.success) return;
    this.problems += parsed.error.issues.length;
    this.note(list, within([name], parsed.error.issues), sourceOf);
  }

  /** Element `index` of a list, checked and turned into its fact (or counted as a problem). */
  element(name: ListName, index: number, item: unknown, sourceOf: SourceOf): void {
    const list = this.lists[name]!;
    const kind = KINDS[name];
    const issues = kind.issues(item);
    if (issues > 0) {
      this.problems += issues;
      list.facts = [];
      // zod words only the issues that can still be the one reported: a list's first, and its
      // first unknown key.
      if (list.firstIssue === undefined || (list.firstUnknown === undefined && hasUnknownKey(item, kind.known))) {
        const parsed = kind.schema.safeParse(item, { reportInput: true });
        if (parsed.success) throw new Error(`inventory: the hand check of ${name}[${index}] disagrees with zod`);
        this.note(list, within([name, index], parsed.error.issues), sourceOf);
      }
      return;
    }
    const fact = kind.quick(item);
    if (fact === undefined) {
      this.problems++;
      list.facts = [];
      // Only the first is worded: the throwing conversion, for its message.
      if (list.firstConversion === undefined) {
        try {
          kind.fact(item, `${this.file}: ${name}[${index}]`);
          throw new Error(`inventory: the quick conversion of ${name}[${index}] disagrees with the worded one`);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          list.firstConversion = err.message;
        }
      }
      return;
    }
    // Once anything is wrong the result is a refusal: the facts need not be kept.
    if (this.problems === 0) list.facts.push(fact);
  }

  private note(list: List, issues: Issue[], sourceOf: SourceOf): void {
    const word = (issue: Issue) => `${this.file}: ${zodIssue({ issues: [issue] } as unknown as z.ZodError, InventorySchema, sourceOf)}`;
    if (list.firstIssue === undefined && issues[0]) list.firstIssue = word(issues[0]);
    const unknown = issues.find((i) => i.code === 'unrecognized_keys');
    if (list.firstUnknown === undefined && unknown) list.firstUnknown = word(unknown);
  }

  /** The facts, or the refusal: the first problem as zod and toScope would name it, and how many more. */
  facts(): ServerFacts {
    let first: string | undefined;
    let facts: ServerFacts | undefined;
    const lists = [this.lists.relationships, this.lists.scopes].filter((l) => l !== undefined);
    // Where each issue stands in zod's order: the rest's issues before the lists, the lists, then
    // identity and the unknown keys at the top level (the schema's last member, and its end).
    const after = (i: Issue) => i.path[0] === 'identity' || (i.code === 'unrecognized_keys' && i.path.length === 0);
    const word = (issue: Issue) => `${this.file}: ${zodIssue({ issues: [issue] } as unknown as z.ZodError, InventorySchema, this.restSource)}`;
    const restBefore = this.restIssues.filter((i) => !after(i));
    const restAfter = this.restIssues.filter(after);
    const unknown = (issues: Issue[]) => issues.find((i) => i.code === 'unrecognized_keys');
    const unknownBefore = unknown(restBefore);
    const unknownAfter = unknown(restAfter);
    first =
      (unknownBefore && word(unknownBefore)) ??
      lists.find((l) => l.firstUnknown !== undefined)?.firstUnknown ??
      (unknownAfter && word(unknownAfter)) ??
      (restBefore[0] && word(restBefore[0])) ??
      lists.find((l) => l.firstIssue !== undefined)?.firstIssue ??
      (restAfter[0] && word(restAfter[0]));
    if (this.rest) {
      try {
        facts = this.toFacts(this.rest);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.problems++;
        first ??= err.message;
      }
    }
    first ??= lists.find((l) => l.firstConversion !== undefined)?.firstConversion;
    if (first !== undefined || !facts) {
      const more = this.problems - 1;
      throw new InputError(`${first ?? `${this.file}: invalid`}${more > 0 ? ` (and ${more.toLocaleString('en-US')} more)` : ''}`);
    }
    return facts;
  }

  /** Today's order of the facts' members (a JSON report prints them in it). */
  private toFacts(inv: z.infer<typeof RestSchema>): ServerFacts {
    const path = this.file;
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
    if (this.lists.relationships) facts.relationships = this.lists.relationships.facts as Relationship[];
    if (this.lists.scopes) facts.scopes = this.lists.scopes.facts as ScopeFact[];
    if (inv.identity) facts.identity = inv.identity;
    return facts;
  }
}

/** An element's issues with their paths from the document's top. */
function within(prefix: PropertyKey[], issues: Issue[]): Issue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }) as Issue);
}

function hasUnknownKey(item: unknown, known: ReadonlySet<string>): boolean {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  for (const key in item) if (!known.has(key)) return true;
  return false;
}

/** toScope's fact, or undefined where toScope throws: no error built (400,000 bad scopes cost seconds in stack traces). */
export function scopeFactOf(s: InventoryScope): ScopeFact | undefined {
  return scopeOf(s);
}

/** A scope element the schema accepted, as a fact; `where` is `file: scopes[i]`. */
export function toScope(s: InventoryScope, where: string): ScopeFact {
  return scopeOf(s, (field, why) => {
    throw new InputError(`${where}.${field}: ${why}`);
  })!;
}

/** The fact; where it cannot be made, `refuse` says why (its words are built only then), else undefined. */
function scopeOf(s: InventoryScope, refuse?: (field: 'scope' | 'range', why: string) => never): ScopeFact | undefined {
  const req = scopeRequestOf(s.scope);
  if (req === undefined) {
    if (!refuse) return undefined;
    try {
      parseScopeRequest(s.scope);
    } catch (err) {
      refuse('scope', (err as Error).message.replace(/^--scope: /, ''));
    }
  }
  if (req?.prefix === undefined) return refuse?.('scope', `"${s.scope}" needs a prefix length, e.g. ${s.scope}/24`);
  const scope: ScopeFact = { network: req.network, prefix: req.prefix };
  if (s.range) {
    // Plain string steps, not split/map/trim arrays: this runs once per scope, 400,000 times in a large inventory.
    // As split('-') read it: the text before the first '-' and between it and the next.
    const dash = s.range.indexOf('-');
    const next = dash === -1 ? -1 : s.range.indexOf('-', dash + 1);
    const first = parseIPv4((dash === -1 ? s.range : s.range.slice(0, dash)).trim());
    const last = dash === -1 ? undefined : parseIPv4((next === -1 ? s.range.slice(dash + 1) : s.range.slice(dash + 1, next)).trim());
    if (first === undefined || last === undefined || first > last) return refuse?.('range', `"${s.range}" is not a valid address range`);
    const [lo, hi] = subnetBounds(scope);
    if (first < lo || last > hi) return refuse?.('range', `"${s.range}" lies outside ${s.scope}`);
    scope.rangeStart = first;
    scope.rangeEnd = last;
  }
  if (s.name !== undefined) scope.name = s.name;
  if (s.state !== undefined) scope.state = s.state;
  if (s.subnetId !== undefined) scope.subnetId = s.subnetId;
  return scope;
}
