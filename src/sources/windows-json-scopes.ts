// The Scopes list of a windows-json bundle, read element by element as the JSON streams past:
// each Get-DhcpServerv4Scope object is built with only the six members a scope fact needs and
// turned into a ScopeFact at once, so 100 000 scopes never exist as a tree.

import type { ScopeFact } from '../facts.js';
import type { Opens, Slot, Visitor } from './json-stream.js';
import { invalid, ipv4Of, isRecord, scopeFactOf, scopeStateOf } from './windows-common.js';

/** The members of a scope object that feed its fact; the other ~15 are skipped unread. */
const SCOPE_KEYS = new Set(['ScopeId', 'SubnetMask', 'StartRange', 'EndRange', 'Name', 'State', 'Type']);

export function scopeOf(file: string, path: string, item: unknown): ScopeFact {
  if (!isRecord(item)) throw invalid(file, path, 'a Get-DhcpServerv4Scope object', item);
  const name = item['Name'];
  if (name != null && typeof name !== 'string') throw invalid(file, `${path}.Name`, 'a string', name);
  const state = item['State'];
  const stateText = scopeStateOf(state);
  if (state != null && stateText === undefined) throw invalid(file, `${path}.State`, '"Active", "InActive", 0 or 1', state);
  const type = item['Type'];
  const typeText = typeof type === 'number' ? SCOPE_TYPES[type] : typeof type === 'string' && type.trim() !== '' ? type.trim() : undefined;
  if (type != null && typeText === undefined) throw invalid(file, `${path}.Type`, '"Dhcp", "Bootp", "Both", 0, 1 or 2', type);
  const start = item['StartRange'];
  const end = item['EndRange'];
  const fact = scopeFactOf(file, path, {
    scopeId: ipv4Of(file, `${path}.ScopeId`, item['ScopeId']),
    mask: ipv4Of(file, `${path}.SubnetMask`, item['SubnetMask']),
    start: start == null ? undefined : ipv4Of(file, `${path}.StartRange`, start),
    end: end == null ? undefined : ipv4Of(file, `${path}.EndRange`, end),
    name: name ?? undefined,
    state: stateText,
  });
  if (typeText !== undefined) fact.type = typeText;
  return fact;
}

// Get-DhcpServerv4Scope Type, in the order of its -Type parameter's values.
const SCOPE_TYPES = ['Dhcp', 'Bootp', 'Both'];

/**
 * Scope facts in document order. The first bad scope is kept, not thrown: a syntax error later
 * in the file, or a bad section checked before Scopes, must still be the one reported (as when
 * the whole document was parsed first).
 */
export class ScopeList {
  readonly facts: ScopeFact[] = [];
  error: unknown;
  failed = false;

  constructor(readonly file: string) {}

  add(path: string, item: unknown): void {
    if (this.failed) return;
    try {
      this.facts.push(scopeOf(this.file, path, item));
    } catch (err) {
      this.failed = true;
      this.error = err;
    }
  }

  result(): ScopeFact[] {
    if (this.failed) throw this.error;
    return this.facts;
  }
}

/** Collects the members of one scope object that scopeOf reads. */
class ScopeObject implements Visitor {
  readonly item: Record<string, unknown> = {};
  protected readonly seen = new Set<string>();

  constructor(
    private readonly list: ScopeList,
    private readonly path: string,
  ) {}

  member(key: string | number): Slot {
    if (typeof key !== 'string' || !SCOPE_KEYS.has(key)) return 'skip';
    if (Object.hasOwn(this.item, key)) return 'duplicate';
    return 'build';
  }

  value(key: string | number, value: unknown): void {
    this.item[key] = value;
  }

  end(): void {
    this.list.add(this.path, this.item);
  }
}

/** A JSON array of scopes: `Scopes[i]`, or `Scopes.value[i]` inside a PowerShell 5.1 wrapper. */
export class ScopeArray implements Visitor {
  constructor(
    private readonly list: ScopeList,
    private readonly prefix: string,
  ) {}

  member(_index: string | number): Slot {
    // Asked again for the same index when a chunk boundary cut the element's first token.
    if (this.list.failed) return 'skip';
    // Built whole (natively, see JsonStream): scopeOf reads the six members it needs.
    return 'build';
  }

  value(index: string | number, value: unknown): void {
    this.list.add(`${this.prefix}[${index}]`, value);
  }

  end(): void {}
}

/**
 * Scopes written as an object: `{ "value": [...], "Count": n }` (an array PowerShell 5.1 wrapped
 * in a PSObject) or a lone scope (a one-item pipeline unrolled). Which one is known only at the
 * closing brace, since "Count" may follow "value"; both readings are kept until then.
 */
export class ScopesObject extends ScopeObject {
  private readonly single: ScopeList;
  private wrapped: ScopeList | undefined;
  private hasCount = false;
  chosen: ScopeList;

  constructor(file: string) {
    const single = new ScopeList(file);
    super(single, 'Scopes');
    this.single = single;
    this.chosen = single;
  }

  override member(key: string | number): Slot {
    if (key === 'value' || key === 'Count') {
      if (this.seen.has(key)) return 'duplicate';
      this.seen.add(key);
      if (key === 'Count') {
        this.hasCount = true;
        return 'skip';
      }
      return (opens: Opens) => {
        if (opens !== '[') return 'skip';
        this.wrapped = new ScopeList(this.single.file);
        return new ScopeArray(this.wrapped, 'Scopes.value');
      };
    }
    return super.member(key);
  }

  override end(): void {
    if (this.wrapped && this.hasCount) this.chosen = this.wrapped;
    else super.end();
  }
}
