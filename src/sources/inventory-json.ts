// A JSON inventory, streamed (json-stream.ts): each element of `scopes` and `relationships` is
// built as a small object and handed to the collector as it ends, where it is checked and becomes
// its fact; the other members are built and checked whole at the end (they are small). Values
// the schema does not know (an unknown key's) are only checked for syntax, never built. Nothing
// is built natively (JSON.parse): this reader must see each number as written (a `1e400` is
// worded as such) and refuse duplicate keys at any depth, as the YAML parser that read every
// inventory before did; a syntax error sends the loader back to that parser (inventory.ts).

import { JsonStream, type Opens, type Slot, type Visitor } from './json-stream.js';
import { InventoryCollector, type SourceOf } from './inventory-facts.js';
import { InventorySchema } from './inventory-schema.js';
import type { ServerFacts } from '../facts.js';

type ListName = 'relationships' | 'scopes';
const KNOWN = new Set(Object.keys(InventorySchema.shape));

/** How overflowing numbers were written, by their path (JSON.stringify of it). */
type Numbers = Map<string, string>;

function set(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (Array.isArray(target)) target.push(value);
  // As JSON.parse and the YAML parser do: "__proto__" is an own member, not the prototype.
  else if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Where built values go: a list (one element at a time) or the top level (its other members). */
interface BuildRoot {
  /** The path of the value being built, down to `key` of `builder`. */
  pathOf(builder: Builder, key: string | number): PropertyKey[];
  /** A number that overflowed, and how it was written. */
  note(path: PropertyKey[]): void;
  /** The outermost value is complete; `at` is its key. */
  done(value: unknown, at: string | number): void;
}

/** Builds one object or array through the reader (see the file's head for why not natively). */
class Builder implements Visitor {
  readonly target: Record<string, unknown> | unknown[];
  private key: string | number = '';
  // One per container (a scope is one): the slot of each member, for the key member() noted.
  private readonly slot = (opens: Opens): 'build' | Builder => (opens === '' ? 'build' : new Builder(this.root, this, this.key, opens === '['));

  constructor(
    private readonly root: BuildRoot,
    readonly parent: Builder | undefined,
    readonly at: string | number,
    array: boolean,
  ) {
    this.target = array ? [] : {};
  }

  member(key: string | number): Slot {
    if (typeof key === 'string' && Object.hasOwn(this.target, key)) return 'duplicate';
    this.key = key;
    return this.slot;
  }

  value(key: string | number, value: unknown): void {
    set(this.target, key, value);
    if (typeof value === 'number' && !Number.isFinite(value)) this.root.note(this.root.pathOf(this, key));
  }

  end(): void {
    if (this.parent) set(this.parent.target, this.at, this.target);
    else this.root.done(this.target, this.at);
  }
}

/** The path from the outermost builder down to `key`. */
function pathWithin(builder: Builder, key: string | number): PropertyKey[] {
  const path: PropertyKey[] = [key];
  for (let b: Builder | undefined = builder; b; b = b.parent) path.unshift(b.at);
  return path;
}

/** A value nobody reads: its syntax is checked, and its keys for duplicates, but nothing is kept. */
class Checker implements Visitor {
  private readonly keys = new Set<string>();

  constructor(private readonly done?: () => void) {}

  member(key: string | number): Slot {
    if (typeof key === 'string') {
      if (this.keys.has(key)) return 'duplicate';
      this.keys.add(key);
    }
    return check;
  }

  value(): void {}

  end(): void {
    this.done?.();
  }
}

const check = (opens: Opens): 'skip' | Checker => (opens === '' ? 'skip' : new Checker());

/** `scopes` or `relationships`: each element to the collector as it ends. */
class ListVisitor implements Visitor, BuildRoot {
  private index = 0;
  /** The current element's overflowing numbers (almost always none). */
  private numbers: Numbers | undefined;
  private readonly sourceOf: SourceOf = (path) => this.numbers?.get(JSON.stringify(path));
  // Asked again for the same index when a chunk boundary cut the element's first token: it only
  // starts a builder for a container, whose first token is one character.
  private readonly slot = (opens: Opens): 'build' | Builder => {
    if (opens === '') return 'build';
    this.numbers = undefined;
    return new Builder(this, undefined, this.index, opens === '[');
  };

  constructor(
    private readonly reader: InventoryJsonReader,
    private readonly name: ListName,
  ) {}

  member(index: string | number): Slot {
    this.index = index as number;
    return this.slot;
  }

  pathOf(builder: Builder, key: string | number): PropertyKey[] {
    return [this.name, ...pathWithin(builder, key)];
  }

  note(path: PropertyKey[]): void {
    (this.numbers ??= new Map()).set(JSON.stringify(path), this.reader.numberText);
  }

  done(item: unknown): void {
    this.reader.collector.element(this.name, this.index, item, this.sourceOf);
  }

  /** An element that is a scalar. */
  value(index: string | number, value: unknown): void {
    this.numbers = undefined;
    if (typeof value === 'number' && !Number.isFinite(value)) this.note([this.name, index]);
    this.reader.collector.element(this.name, index as number, value, this.sourceOf);
  }

  end(): void {}
}

/** Streams one JSON inventory; push() and end() throw JsonSyntaxError, facts() the refusal. */
export class InventoryJsonReader {
  readonly collector: InventoryCollector;
  private readonly json: JsonStream;
  private readonly rest: Record<string, unknown> = {};
  private readonly numbers: Numbers = new Map();
  private readonly seen = new Set<string>();
  /** Where the top level's other members are built. */
  private readonly top: BuildRoot = {
    pathOf: pathWithin,
    note: (path) => this.numbers.set(JSON.stringify(path), this.numberText),
    done: (value, at) => set(this.rest, at, value),
  };

  constructor(file: string) {
    this.collector = new InventoryCollector(file);
    const top: Visitor = {
      member: (key) => this.member(String(key)),
      value: (key, value) => {
        // A list's member that is a scalar: zod's words for it.
        if (key === 'scopes' || key === 'relationships') {
          const text = typeof value === 'number' && !Number.isFinite(value) ? this.numberText : undefined;
          return this.collector.notArray(key, value, () => text);
        }
        set(this.rest, key, value);
        if (typeof value === 'number' && !Number.isFinite(value)) this.numbers.set(JSON.stringify([key]), this.numberText);
      },
      end: () => undefined,
    };
    // Only ever given a text whose first character is `{` (inventory.ts decides).
    this.json = new JsonStream({ member: () => top, value: () => undefined, end: () => undefined });
  }

  get numberText(): string {
    return this.json.numberText;
  }

  push(text: string): void {
    this.json.push(text);
  }

  end(): void {
    this.json.end();
  }

  facts(): ServerFacts {
    this.collector.setRest(this.rest, (path) => this.numbers.get(JSON.stringify(path)));
    return this.collector.facts();
  }

  private member(key: string): Slot {
    if (this.seen.has(key)) return 'duplicate';
    this.seen.add(key);
    if (key === 'scopes' || key === 'relationships') {
      return (opens: Opens) => {
        if (opens === '[') {
          this.collector.begin(key);
          return new ListVisitor(this, key);
        }
        // Not a list: zod's words need only its type, so an object is checked, not built.
        return opens === '{' ? new Checker(() => this.collector.notArray(key, {}, () => undefined)) : 'build';
      };
    }
    // An unknown key is refused by its name: its value is not built (null stands in for it).
    if (!KNOWN.has(key)) {
      set(this.rest, key, null);
      return check;
    }
    return (opens: Opens) => (opens === '' ? 'build' : new Builder(this.top, undefined, key, opens === '['));
  }
}
