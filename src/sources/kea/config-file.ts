import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../../util/errors.js';
import { IncludeBudget, includeChain } from '../../util/include-budget.js';
import { MAX_NESTING, nestedTooDeep } from '../../util/nesting.js';
import { finishSliced, finishSync, TOKENS_PER_PAUSE, type Sliced } from '../../util/cooperative.js';
import { readGuardedSync } from '../../util/read-guarded.js';

// A kea-dhcp4 configuration file read the way kea-dhcp4 reads it (its flex lexer and bison
// grammar, src/bin/dhcp4/dhcp4_lexer.ll and dhcp4_parser.yy, the same in 2.2, 2.6 and 3.0):
// JSON plus `#`, `//` and `/* */` comments outside strings, extra commas (Kea only warns),
// `<?include "path"?>` anywhere between tokens (the included file's tokens are spliced in, and
// a relative path is opened from the directory kea-dhcp4 was started in, not the including
// file's), strings with `\u00XX` escapes only, duplicate keys refused, exactly one top-level
// key, Dhcp4. Errors never quote the file's text: a password may be on that line; string values
// of password and secret keys are read as "".

const PREFIX = 'kea-config';
/** Kea refuses an include when 11 are already open ("Too many nested include."). */
export const MAX_INCLUDE_DEPTH = 11;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface KeaConfigFile {
  Dhcp4: Record<string, unknown>;
  /** Every file read, absolute, in the order first opened (the main file first). */
  files: string[];
}

export interface ReadKeaConfigOptions {
  /** Where kea-dhcp4 was started: relative include paths are opened from there. Default: ours. */
  cwd?: string;
  /** The main file's bytes, already read (it may be a pipe, which only an asynchronous read waits for). */
  bytes?: Buffer;
}

// Like the Kea client's reviver: no parsed object holds a password. The key stays (with "") so
// that "a password is configured" can still be judged; `...-file` keys are paths, kept.
const SECRET_KEY = /password|secret/i;
const scrub = (key: string, value: unknown): unknown => (typeof value === 'string' && SECRET_KEY.test(key) && !key.endsWith('-file') ? '' : value);

/** A string's one-character escapes and the bytes they stand for. */
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 8, f: 12, n: 10, r: 13, t: 9 };

export function readKeaConfigFile(path: string, opts: ReadKeaConfigOptions = {}): KeaConfigFile {
  return finishSync(reading(path, opts));
}

/**
 * The same read in slices (util/cooperative.ts): the event loop gets a turn every few
 * milliseconds, so a signal is handled while a 16 MiB config (and its includes) is parsed, and an
 * aborted `signal` stops the parse (ParseInterrupted).
 */
export function readKeaConfigFileSliced(path: string, opts: ReadKeaConfigOptions & { signal?: AbortSignal | undefined } = {}): Promise<KeaConfigFile> {
  return finishSliced(reading(path, opts), `${PREFIX}: ${path}`, opts.signal);
}

function* reading(path: string, opts: ReadKeaConfigOptions): Sliced<KeaConfigFile> {
  const cwd = opts.cwd ?? process.cwd();
  const tokens = new TokenStream(path, resolve(path), cwd, opts.bytes);
  const top = yield* new Parser(tokens).document();
  return { Dhcp4: top, files: tokens.files };
}

type Punct = '{' | '}' | '[' | ']' | ',' | ':';
type Token =
  | { kind: Punct; at: Where }
  | { kind: 'string'; value: string; at: Where }
  | { kind: 'number'; value: number; at: Where }
  | { kind: 'literal'; value: boolean | null; at: Where }
  | { kind: 'eof'; at: Where };

interface Where {
  file: string;
  line: number;
  column: number;
}

function fail(at: Where, what: string): never {
  throw new InputError(`${PREFIX}: ${at.file} line ${at.line} column ${at.column}: ${what}`);
}

/** One file being scanned. Text is latin1 so that columns count bytes, as Kea's do. */
class Scanner {
  pos = 0;
  line = 1;
  lineStart = 0;
  /** After an include this file ended: the directive's `?>` must come next. */
  awaitingDirectiveEnd = false;

  constructor(
    readonly file: string,
    readonly realPath: string,
    readonly text: string,
  ) {}

  where(pos = this.pos): Where {
    return { file: this.file, line: this.line, column: pos - this.lineStart + 1 };
  }

  /** Blanks and newlines; comments too unless inside a directive (Kea: invalid character there). */
  skip(comments: boolean): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\n') this.newline(this.pos++);
      else if (comments && (c === '#' || t.startsWith('//', this.pos))) {
        const end = t.indexOf('\n', this.pos);
        this.pos = end < 0 ? t.length : end;
      } else if (comments && t.startsWith('/*', this.pos)) {
        const startLine = this.line;
        const close = t.indexOf('*/', this.pos + 2);
        if (close < 0) fail(this.where(), `comment not closed (/* in line ${startLine})`);
        for (let i = this.pos; i < close; i++) if (t[i] === '\n') this.newline(i);
        this.pos = close + 2;
      } else return;
    }
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }
}

const NUMBER = /[-+]?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?/y;
const INTEGER = /^-?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const LITERAL = /true|false|null/y;
const LITERAL_ANY_CASE = /true|false|null/iy;

/** Tokens of the main file with every include spliced in where its directive stands. */
class TokenStream {
  readonly files: string[] = [];
  private readonly stack: Scanner[] = [];
  /** Expanded bytes and inclusions (util/include-budget.ts). */
  private readonly budget = new IncludeBudget();
  /** Each file's bytes, read once however often it is included. */
  private readonly cache = new Map<string, { data: Buffer; real: string }>();

  constructor(
    display: string,
    absolute: string,
    private readonly cwd: string,
    bytes: Buffer | undefined,
  ) {
    this.stack.push(this.open(display, absolute, undefined, bytes));
  }

  next(): Token {
    for (;;) {
      const s = this.stack[this.stack.length - 1]!;
      if (s.awaitingDirectiveEnd) {
        s.skip(false);
        if (!s.text.startsWith('?>', s.pos)) fail(s.where(), "include directive not closed (expected '?>')");
        s.awaitingDirectiveEnd = false;
        s.pos += 2;
      }
      s.skip(true);
      if (s.pos >= s.text.length) {
        if (this.stack.length === 1) return { kind: 'eof', at: s.where() };
        this.stack.pop();
        this.stack[this.stack.length - 1]!.awaitingDirectiveEnd = true;
        continue;
      }
      if (s.text.startsWith('<?', s.pos)) {
        this.include(s);
        continue;
      }
      return this.token(s);
    }
  }

  private token(s: Scanner): Token {
    const at = s.where();
    const t = s.text;
    const c = t[s.pos]!;
    if ('{}[],:'.includes(c)) {
      s.pos++;
      return { kind: c as Punct, at };
    }
    if (c === '"') return { kind: 'string', value: this.string(s), at };
    NUMBER.lastIndex = s.pos;
    const num = NUMBER.exec(t)?.[0] ?? '';
    if (num.length > 0) {
      s.pos += num.length;
      return { kind: 'number', value: numberValue(num, at), at };
    }
    LITERAL.lastIndex = s.pos;
    const lit = LITERAL.exec(t)?.[0];
    if (lit !== undefined) {
      s.pos += lit.length;
      return { kind: 'literal', value: lit === 'null' ? null : lit === 'true', at };
    }
    LITERAL_ANY_CASE.lastIndex = s.pos;
    if (LITERAL_ANY_CASE.test(t)) fail(at, 'true, false and null are lower case only');
    if (c === "'") fail(at, 'invalid character: strings take double quotes');
    fail(at, 'invalid character');
  }

  /**
   * A string from its opening quote; returns the decoded value (bytes as UTF-8). The text is the
   * file's bytes as Latin-1, so runs between escapes are sliced, not copied byte by byte: a 15 MB
   * string held as an array of numbers cost 700 MB.
   */
  private string(s: Scanner): string {
    const t = s.text;
    const start = s.pos;
    const parts: string[] = [];
    let run = start + 1;
    let ascii = true;
    let i = start + 1;
    for (;;) {
      if (i >= t.length) fail(s.where(start), 'string not closed');
      const code = t.charCodeAt(i);
      if (code === 0x22) break;
      if (code < 0x20) fail(s.where(i), code === 0x0a ? 'string not closed on its line' : 'control character in a string');
      if (code !== 0x5c) {
        if (code > 0x7f) ascii = false;
        i++;
        continue;
      }
      parts.push(t.slice(run, i));
      const e = t[i + 1];
      const byte = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (byte !== undefined) {
        parts.push(String.fromCharCode(byte));
        i += 2;
      } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(t.slice(i + 2, i + 6))) {
        // Kea decodes \u0000-\u00ff to one byte and refuses the rest ("Unsupported unicode escape").
        if (t.slice(i + 2, i + 4) !== '00') fail(s.where(i), 'unsupported unicode escape (Kea takes \\u0000 to \\u00ff only)');
        const value = parseInt(t.slice(i + 4, i + 6), 16);
        if (value > 0x7f) ascii = false;
        parts.push(String.fromCharCode(value));
        i += 6;
      } else {
        fail(s.where(i), 'bad escape in a string');
      }
      run = i;
    }
    s.pos = i + 1;
    const latin1 = parts.length === 0 ? t.slice(run, i) : parts.join('') + t.slice(run, i);
    return ascii ? latin1 : Buffer.from(latin1, 'latin1').toString('utf8');
  }

  /** `<?include "path"?>`: blanks and newlines may stand between its parts, nothing else. */
  private include(s: Scanner): void {
    const at = s.where();
    s.pos += 2;
    s.skip(false);
    if (!s.text.startsWith('include', s.pos)) fail(s.where(), 'unknown directive (only \'<?include "file"?>\' exists)');
    s.pos += 'include'.length;
    s.skip(false);
    const m = /"([^"\n]+)"/y;
    m.lastIndex = s.pos;
    const found = m.exec(s.text);
    if (!found) fail(s.where(), 'include directive without a "file" name');
    s.pos += found[0].length;
    // The name is bytes, like the rest of the text; paths are UTF-8 on disk.
    const name = Buffer.from(found[1]!, 'latin1').toString('utf8');
    if (this.stack.length > MAX_INCLUDE_DEPTH) fail(at, `too many nested includes (Kea opens at most ${MAX_INCLUDE_DEPTH} deep)`);
    this.stack.push(this.open(name, isAbsolute(name) ? name : resolve(this.cwd, name), at));
  }

  private open(display: string, absolute: string, from: Where | undefined, bytes?: Buffer): Scanner {
    const place = from ? `${PREFIX}: ${from.file} line ${from.line} column ${from.column}` : PREFIX;
    const what = from ? `include file ${display}` : display;
    const chain = (): string => includeChain([...this.stack.map((x) => x.file), display]);
    const tooMany = from ? this.budget.include() : undefined;
    if (tooMany) throw new InputError(`${place}: ${tooMany} ${chain()}`);
    let known = bytes === undefined ? this.cache.get(absolute) : undefined;
    if (!known) {
      const data = bytes ?? readGuardedSync(absolute, { purpose: 'server-config', label: place, name: what });
      let real = absolute;
      try {
        real = realpathSync(absolute);
      } catch {
        // Read but not resolvable (a vanished symlink target): the absolute path identifies it.
      }
      known = { data, real };
      this.cache.set(absolute, known);
    }
    const { data, real } = known;
    const loop = this.stack.findIndex((x) => x.realPath === real);
    if (from && loop >= 0) {
      const chain = [...this.stack.slice(loop).map((x) => x.file), display].join(' -> ');
      throw new InputError(`${place}: include loop: ${chain}`);
    }
    const tooLarge = this.budget.read(data.length);
    if (tooLarge) throw new InputError(`${place}: ${tooLarge} ${chain()}`);
    if (!this.files.includes(real)) this.files.push(real);
    return new Scanner(display, real, data.toString('latin1'));
  }
}

function numberValue(text: string, at: Where): number {
  if (INTEGER.test(text)) {
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) fail(at, 'integer out of range (Kea takes 64-bit signed integers)');
    return Number(big);
  }
  const value = FLOAT.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) fail(at, 'not a number');
  return value;
}

const KNOWN_TOP = new Map([
  ['Dhcp6', 'a kea-dhcp6 configuration'],
  ['Control-agent', 'a Kea Control Agent configuration'],
  ['DhcpDdns', 'a kea-dhcp-ddns configuration'],
  ['Netconf', 'a kea-netconf configuration'],
]);

function describe(t: Token): string {
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'literal':
      return String(t.value);
    case 'eof':
      return 'end of file';
    default:
      return `'${t.kind}'`;
  }
}

/** Kea's grammar over the token stream; values are plain JSON values. */
class Parser {
  private tok: Token;
  /** Tokens read, and the count at which the parse next pauses (util/cooperative.ts). */
  private read = 0;
  private pauseAt = TOKENS_PER_PAUSE;

  constructor(private readonly tokens: TokenStream) {
    this.tok = tokens.next();
  }

  /** The current token; a method, so that narrowing does not survive advance(). */
  private peek(): Token {
    return this.tok;
  }

  private advance(): Token {
    this.read++;
    const t = this.tok;
    this.tok = this.tokens.next();
    return t;
  }

  private expect(kind: Punct | 'eof', what: string): Token {
    if (this.peek().kind !== kind) fail(this.peek().at, `unexpected ${describe(this.peek())} (expected ${what})`);
    return this.advance();
  }

  /** `{ "Dhcp4": { ... } }` and nothing else, as kea-dhcp4's top-level rule demands. */
  *document(): Sliced<Record<string, unknown>> {
    const open = this.expect('{', "'{'");
    const key = this.peek();
    if (key.kind !== 'string') {
      if (key.kind === '}') fail(open.at, 'no "Dhcp4" at the top level: not a kea-dhcp4 configuration');
      fail(key.at, `unexpected ${describe(key)} (expected "Dhcp4")`);
    }
    if (key.value !== 'Dhcp4') {
      const kind = KNOWN_TOP.get(key.value);
      fail(
        key.at,
        kind
          ? `the top level holds "${key.value}", not "Dhcp4": ${kind}, not a kea-dhcp4 one`
          : 'the top level must hold "Dhcp4" only (kea-dhcp4 refuses any other key there)',
      );
    }
    this.advance();
    this.expect(':', "':'");
    if (this.peek().kind !== '{') fail(this.peek().at, `unexpected ${describe(this.peek())} (expected '{': Dhcp4 is a map)`);
    const dhcp4Open = this.peek();
    const dhcp4 = yield* this.map(1);
    // Kea's Dhcp4 rule needs at least one parameter.
    if (Object.keys(dhcp4).length === 0) fail(dhcp4Open.at, 'Dhcp4 is empty (kea-dhcp4 needs at least one parameter in it)');
    while (this.peek().kind === ',') this.advance();
    const after = this.peek();
    if (after.kind === 'string') {
      const other = after.value;
      fail(
        after.at,
        KNOWN_TOP.has(other) || other === 'Dhcp4'
          ? `"${other}" next to Dhcp4: kea-dhcp4 allows only Dhcp4 at the top level`
          : 'the top level must hold "Dhcp4" only (kea-dhcp4 refuses any other key there)',
      );
    }
    this.expect('}', "'}'");
    this.expect('eof', 'end of file');
    return dhcp4;
  }

  private *value(depth: number): Sliced<unknown> {
    const t = this.peek();
    if (depth > MAX_NESTING) throw new InputError(`${PREFIX}: ${t.at.file}: ${nestedTooDeep(t.at.line)}`);
    switch (t.kind) {
      case '{':
        return yield* this.map(depth + 1);
      case '[':
        return yield* this.list(depth + 1);
      case 'string':
      case 'number':
      case 'literal':
        this.advance();
        return t.value;
      default:
        fail(t.at, `unexpected ${describe(t)} (expected a value)`);
    }
  }

  /** `{}` or entries where extra commas after the first entry are tolerated, as Kea does. */
  private *map(depth: number): Sliced<Record<string, unknown>> {
    this.expect('{', "'{'");
    const out: Record<string, unknown> = {};
    const seen = new Map<string, Where>();
    if (this.peek().kind === '}') {
      this.advance();
      return out;
    }
    for (;;) {
      if (this.read >= this.pauseAt) {
        this.pauseAt = this.read + TOKENS_PER_PAUSE;
        yield;
      }
      const key = this.peek();
      if (key.kind !== 'string') fail(key.at, `unexpected ${describe(key)} (expected a "key")`);
      this.advance();
      const first = seen.get(key.value);
      // The key is not named: in a user-context any text can be a key.
      if (first) fail(key.at, `duplicate key (first at ${first.file === key.at.file ? '' : `${first.file} `}line ${first.line} column ${first.column})`);
      seen.set(key.value, key.at);
      this.expect(':', "':'");
      // defineProperty: a key named __proto__ must be data, not a prototype.
      const value = yield* this.value(depth);
      Object.defineProperty(out, key.value, { value: scrub(key.value, value), enumerable: true, writable: true, configurable: true });
      if (this.peek().kind === '}') break;
      this.expect(',', "',' or '}'");
      while (this.peek().kind === ',') this.advance();
      if (this.peek().kind === '}') break;
    }
    this.advance();
    return out;
  }

  private *list(depth: number): Sliced<unknown[]> {
    this.expect('[', "'['");
    const out: unknown[] = [];
    if (this.peek().kind === ']') {
      this.advance();
      return out;
    }
    for (;;) {
      if (this.read >= this.pauseAt) {
        this.pauseAt = this.read + TOKENS_PER_PAUSE;
        yield;
      }
      out.push(yield* this.value(depth));
      if (this.peek().kind === ']') break;
      this.expect(',', "',' or ']'");
      while (this.peek().kind === ',') this.advance();
      if (this.peek().kind === ']') break;
    }
    this.advance();
    return out;
  }
}
