// A streaming JSON reader. Text arrives in chunks; a Visitor decides, member by member, which
// values are built as plain JS values and which are only checked for syntax and dropped. A
// 120 MB bundle therefore never exists as one string or one tree (JSON.parse needs both).
//
// Syntax errors name the line and column (as the whole-text reader before it did), and are thrown as soon
// as they are seen. A token cut by a chunk boundary is read again once more text has arrived.

import { MAX_NESTING, nestedTooDeep } from '../util/nesting.js';
import { TextPosition } from './text-stream.js';

/** What a value opens with: an object, an array, or '' for a string, number, true/false/null. */
export type Opens = '{' | '[' | '';
/** Drop the value (syntax is still checked), build it, or walk into it with another Visitor. */
export type Choice = 'skip' | 'build' | Visitor;
/** A Visitor's answer for a member: decided now, decided once the value's first token is seen, or a duplicate key. */
export type Slot = Choice | ((opens: Opens) => Choice) | 'duplicate';

export interface Visitor {
  /** A member begins: an object key, or an array index. */
  member(key: string | number): Slot;
  /** A member the Visitor chose to build (or a scalar where it chose a Visitor) is complete. */
  value(key: string | number, value: unknown): void;
  /** The object or array closed. */
  end(): void;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly what: string,
  ) {
    super(`invalid JSON at line ${line}, column ${column}: ${what}`);
  }
}

/** A document nested deeper than MAX_NESTING (its own words: the text may be valid JSON). */
export class JsonNestingError extends JsonSyntaxError {
  constructor(line: number, column: number) {
    super(line, column, nestedTooDeep(line));
    this.message = nestedTooDeep(line);
  }
}

const SKIP = 0;
const BUILD = 1;
const VISIT = 2;
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]

interface Frame {
  close: number;
  mode: number;
  visitor?: Visitor | undefined;
  target?: Record<string, unknown> | unknown[] | undefined;
  key: string | number;
  index: number;
  slot: Slot;
}

// Skipped containers carry no state of their own, so they share two frames.
const SKIP_OBJECT: Frame = { close: CLOSE_OBJECT, mode: SKIP, key: '', index: 0, slot: 'skip' };
const SKIP_ARRAY: Frame = { close: CLOSE_ARRAY, mode: SKIP, key: '', index: 0, slot: 'skip' };

// What the reader expects next.
const VALUE = 0;
const FIRST_IN_ARRAY = 1;
const FIRST_IN_OBJECT = 2;
const KEY = 3;
const COLON = 4;
const AFTER = 5;
const END = 6;

const ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' };
const INCOMPLETE = -1;
const CONTROL = /[\u0000-\u001f]/g;
const BRACKET_OR_QUOTE = /["[\]{}]/g;

const FAILED = Symbol('invalid JSON');

function parseOrFailed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return FAILED;
  }
}

function indexOrInfinity(at: number): number {
  return at === -1 ? Infinity : at;
}

export class JsonStream {
  private buf = '';
  private pos = 0;
  private state = VALUE;
  private readonly stack: Frame[];
  private readonly where = new TextPosition();
  /** Length of the unfinished token at the last stop; reading resumes once the buffer doubled. */
  private stalled = 0;
  /** The last string or number read, when it was asked for. */
  private scalar: unknown;
  /** How the last number that was asked for was written (`1e400` reads as Infinity). */
  numberText = '';
  /** Next backslash / control character in the buffer at or after the last look (Infinity: none). */
  private nextBackslash = -1;
  private nextControl = -1;

  /** `root` is asked about the document as member '' of an imaginary container. */
  constructor(root: Visitor) {
    this.stack = [{ close: 0, mode: VISIT, visitor: root, key: '', index: 0, slot: root.member('') }];
  }

  push(text: string): void {
    if (this.pos > 0) {
      this.where.advance(this.buf, this.pos);
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += text;
    // Re-reading a long unfinished token from its start after every chunk would be quadratic.
    if (this.buf.length < this.stalled * 2) return;
    this.run(false);
  }

  end(): void {
    this.run(true);
  }

  private fail(at: number, what: string): never {
    const { line, column } = this.where.of(this.buf, at);
    throw new JsonSyntaxError(line, column, what);
  }

  private tooDeep(at: number): never {
    const { line, column } = this.where.of(this.buf, at);
    throw new JsonNestingError(line, column);
  }

  private here(at: number): string {
    return at >= this.buf.length ? 'end of input' : JSON.stringify(this.buf[at]);
  }

  private run(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    const stack = this.stack;
    let i = this.pos;
    this.stalled = 0;
    this.nextBackslash = -1;
    this.nextControl = -1;
    for (;;) {
      let c = 0;
      while (i < n && ((c = s.charCodeAt(i)) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) i++;
      if (i >= n) {
        if (final) this.atEnd(i);
        break;
      }
      const top = stack[stack.length - 1]!;
      const state = this.state;
      if (state === AFTER) {
        if (c === top.close) {
          i++;
          this.close();
        } else if (c === 0x2c /* , */) {
          i++;
          this.state = top.close === CLOSE_OBJECT ? KEY : VALUE;
        } else this.fail(i, `expected ',' or '${String.fromCharCode(top.close)}', found ${this.here(i)}`);
      } else if (state === KEY || state === FIRST_IN_OBJECT) {
        if (state === FIRST_IN_OBJECT && c === CLOSE_OBJECT) {
          i++;
          this.close();
          continue;
        }
        if (c !== 0x22) this.fail(i, `expected a property name in double quotes, found ${this.here(i)}`);
        const next = this.string(i, top.mode !== SKIP, final);
        if (next === INCOMPLETE) {
          this.stalled = n - i;
          break;
        }
        if (top.mode !== SKIP) this.member(top, this.scalar as string, i);
        i = next;
        this.state = COLON;
      } else if (state === COLON) {
        if (c !== 0x3a) this.fail(i, `expected ':' after the property name, found ${this.here(i)}`);
        i++;
        this.state = VALUE;
      } else if (state === END) {
        this.fail(i, `unexpected ${this.here(i)} after the end of the document`);
      } else {
        if (state === FIRST_IN_ARRAY && c === CLOSE_ARRAY) {
          i++;
          this.close();
          continue;
        }
        const next = this.value(top, i, c, final);
        if (next === INCOMPLETE) {
          this.stalled = n - i;
          break;
        }
        i = next;
      }
    }
    this.pos = i;
  }

  private atEnd(i: number): void {
    const top = this.stack[this.stack.length - 1]!;
    switch (this.state) {
      case END:
        return;
      case AFTER:
        return this.fail(i, `expected ',' or '${String.fromCharCode(top.close)}', found end of input`);
      case KEY:
      case FIRST_IN_OBJECT:
        return this.fail(i, 'expected a property name in double quotes, found end of input');
      case COLON:
        return this.fail(i, "expected ':' after the property name, found end of input");
      default:
        return this.fail(i, 'expected a value, found end of input');
    }
  }

  /** A key was read in a frame that keeps keys: note it and ask what its value should become. */
  private member(top: Frame, key: string, at: number): void {
    top.key = key;
    // Inside a built value the last of duplicate keys wins, as with JSON.parse: the fast path
    // (JsonStream.value) parses natively, and a chunk seam must not change the answer.
    if (top.mode === BUILD) return;
    const slot = top.visitor!.member(key);
    if (slot === 'duplicate') this.fail(at, `duplicate property ${JSON.stringify(key)}`);
    top.slot = slot;
  }

  /** Reads the value starting at `i`; returns the index after it, or INCOMPLETE. */
  private value(top: Frame, i: number, c: number, final: boolean): number {
    let choice: Choice;
    if (top.mode === VISIT) {
      let slot = top.slot;
      if (top.close === CLOSE_ARRAY) {
        top.key = top.index;
        slot = top.visitor!.member(top.index);
      }
      if (typeof slot === 'function') slot = slot(c === 0x7b ? '{' : c === 0x5b ? '[' : '');
      // 'duplicate' only answers keys; member() has already refused it.
      choice = slot === 'duplicate' ? 'skip' : slot;
    } else choice = top.mode === BUILD ? 'build' : 'skip';

    if ((c === 0x7b /* { */ || c === 0x5b) /* [ */ && (choice === 'skip' || choice === 'build')) {
      // A container that is dropped or built whole: when it ends inside the buffer, the native
      // parser reads it far faster than this loop walks it (and, like JSON.parse, keeps the last
      // of duplicate keys inside it). On any error the slow path below runs and reports it with
      // its exact position.
      const end = this.containerEnd(i);
      const parsed = end === -1 ? FAILED : parseOrFailed(this.buf.slice(i, end));
      if (parsed !== FAILED) {
        if (top.mode === VISIT && top.close === CLOSE_ARRAY) top.index++;
        if (choice === 'build') this.deliver(top, parsed);
        this.state = this.stack.length === 1 ? END : AFTER;
        return end;
      }
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (top.mode === VISIT && top.close === CLOSE_ARRAY) top.index++;
      const close = c === 0x7b ? CLOSE_OBJECT : CLOSE_ARRAY;
      let frame: Frame;
      if (choice === 'skip') frame = close === CLOSE_OBJECT ? SKIP_OBJECT : SKIP_ARRAY;
      else if (choice === 'build') {
        frame = { close, mode: BUILD, target: close === CLOSE_OBJECT ? {} : [], key: '', index: 0, slot: 'build' };
      } else frame = { close, mode: VISIT, visitor: choice, key: '', index: 0, slot: 'skip' };
      // stack[0] is the imaginary container around the document: its length is the new depth.
      if (this.stack.length > MAX_NESTING) this.tooDeep(i);
      this.stack.push(frame);
      this.state = close === CLOSE_OBJECT ? FIRST_IN_OBJECT : FIRST_IN_ARRAY;
      return i + 1;
    }
    const keep = choice !== 'skip';
    let next: number;
    if (c === 0x22) next = this.string(i, keep, final);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) next = this.number(i, keep, final);
    else next = this.literal(i, c, final);
    if (next === INCOMPLETE) return next;
    if (top.mode === VISIT && top.close === CLOSE_ARRAY) top.index++;
    if (keep) this.deliver(top, this.scalar);
    this.state = this.stack.length === 1 ? END : AFTER;
    return next;
  }

  /**
   * The index after the bracket that closes the container opening at `start`, or -1 when it does
   * not close inside the buffer. Brackets are only counted (strings jumped by indexOf): whether
   * they match is for JSON.parse to judge. The count stops where nesting passes MAX_NESTING (the
   * slow path refuses it there, after any earlier error): a run of unclosed brackets is then
   * scanned at most MAX_NESTING times, not once per bracket to the end of the buffer.
   */
  private containerEnd(start: number): number {
    const s = this.buf;
    const room = MAX_NESTING - (this.stack.length - 1);
    let depth = 0;
    // The regular expression finds the next quote or bracket natively: a loop over every
    // character costs more than the JSON.parse it serves while the code is still cold.
    for (let j = start; ; j++) {
      BRACKET_OR_QUOTE.lastIndex = j;
      if (!BRACKET_OR_QUOTE.test(s)) return -1;
      j = BRACKET_OR_QUOTE.lastIndex - 1;
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        let q = j;
        for (;;) {
          q = s.indexOf('"', q + 1);
          if (q === -1) return -1;
          let b = q - 1;
          while (s.charCodeAt(b) === 0x5c) b--;
          if ((q - 1 - b) % 2 === 0) break; // an even run of backslashes: the quote is real
        }
        j = q;
      } else if (c === 0x7b || c === 0x5b) {
        if (++depth > room) return -1;
      } else if (--depth === 0) return j + 1;
    }
  }

  private close(): void {
    const frame = this.stack.pop()!;
    const parent = this.stack[this.stack.length - 1]!;
    if (frame.mode === BUILD) this.deliver(parent, frame.target);
    else if (frame.mode === VISIT) frame.visitor!.end();
    this.state = this.stack.length === 1 ? END : AFTER;
  }

  private deliver(parent: Frame, value: unknown): void {
    if (parent.mode === VISIT) parent.visitor!.value(parent.key, value);
    else if (parent.mode === BUILD) {
      const target = parent.target!;
      if (Array.isArray(target)) target.push(value);
      // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
      else if (parent.key === '__proto__') Object.defineProperty(target, '__proto__', { value, enumerable: true, writable: true, configurable: true });
      else target[parent.key as string] = value;
    }
  }

  /** A string from the quote at `start`: the index after its closing quote, or INCOMPLETE. */
  private string(start: number, keep: boolean, final: boolean): number {
    const s = this.buf;
    const n = s.length;
    // Fast path: the closing quote by indexOf, when no escape or control character comes first
    // (where the next of those is, is remembered for the whole buffer).
    const close = s.indexOf('"', start + 1);
    if (close !== -1) {
      if (this.nextBackslash <= start) this.nextBackslash = indexOrInfinity(s.indexOf('\\', start + 1));
      if (this.nextControl <= start) {
        CONTROL.lastIndex = start + 1;
        this.nextControl = CONTROL.test(s) ? CONTROL.lastIndex - 1 : Infinity;
      }
      if (this.nextBackslash > close && this.nextControl > close) {
        if (keep) this.scalar = s.slice(start + 1, close);
        return close + 1;
      }
    }
    let out = '';
    let from = start + 1;
    for (let j = from; ; ) {
      if (j >= n) return final ? this.fail(n, 'unterminated string') : INCOMPLETE;
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        if (keep) this.scalar = out === '' ? s.slice(from, j) : out + s.slice(from, j);
        return j + 1;
      }
      if (c === 0x5c) {
        if (j + 1 >= n && !final) return INCOMPLETE;
        const e = s.charCodeAt(j + 1);
        let decoded = ESCAPES[e];
        let len = 2;
        if (e === 0x75 /* u */) {
          if (j + 5 >= n && !final) return INCOMPLETE;
          const hex = s.slice(j + 2, j + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) decoded = String.fromCharCode(parseInt(hex, 16));
          len = 6;
        }
        if (decoded === undefined) this.fail(j, `invalid character ${JSON.stringify('\\')} in string`);
        if (keep) out += s.slice(from, j) + decoded;
        j += len;
        from = j;
        continue;
      }
      if (c < 0x20) this.fail(j, `invalid character ${JSON.stringify(String.fromCharCode(c))} in string`);
      j++;
    }
  }

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, read the way that regex backtracks. */
  private number(start: number, keep: boolean, final: boolean): number {
    const s = this.buf;
    const n = s.length;
    const digit = (at: number): boolean => {
      const c = s.charCodeAt(at);
      return c >= 0x30 && c <= 0x39;
    };
    const digits = (from: number): number => {
      let j = from;
      while (j < n && digit(j)) j++;
      return j;
    };
    let j = start;
    if (s.charCodeAt(j) === 0x2d) j++;
    if (j >= n) return final ? this.fail(start, 'invalid number') : INCOMPLETE;
    if (s.charCodeAt(j) === 0x30) j++;
    else if (digit(j)) j = digits(j + 1);
    else this.fail(start, 'invalid number');
    // Each optional part needs a look one or two characters ahead: wait for them mid-stream.
    if (j >= n && !final) return INCOMPLETE;
    if (s.charCodeAt(j) === 0x2e /* . */) {
      if (j + 1 >= n && !final) return INCOMPLETE;
      if (j + 1 < n && digit(j + 1)) {
        j = digits(j + 2);
        if (j >= n && !final) return INCOMPLETE;
      }
    }
    const e = s.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      let k = j + 1;
      const sign = s.charCodeAt(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (k >= n && !final) return INCOMPLETE;
      if (k < n && digit(k)) {
        j = digits(k + 1);
        if (j >= n && !final) return INCOMPLETE;
      }
    }
    if (keep) {
      this.numberText = s.slice(start, j);
      this.scalar = Number(this.numberText);
    }
    return j;
  }

  private literal(start: number, c: number, final: boolean): number {
    const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
    const s = this.buf;
    if (word !== undefined) {
      if (s.startsWith(word, start)) {
        this.scalar = word === 'true' ? true : word === 'false' ? false : null;
        return start + word.length;
      }
      if (!final && s.length - start < word.length && word.startsWith(s.slice(start))) return INCOMPLETE;
    }
    return this.fail(start, `expected a value, found ${this.here(start)}`);
  }
}
