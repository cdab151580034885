// The Export-DhcpServer scanner, fed chunk by chunk: it keeps only the unfinished tail of the
// text, the stack of open elements and the fields of the scope being read. It checks
// well-formedness (balanced, properly named tags; terminated comments, CDATA and PIs; valid entity
// references in the text it reads) and refuses any DTD (checked in every chunk, across seams).

import { InputError } from '../util/errors.js';
import { MAX_NESTING, nestedTooDeep } from '../util/nesting.js';
import { TextPosition, type TextSink } from './text-stream.js';

export const ROOT = 'DHCPServer';
const SCOPE_FIELDS = new Set(['ScopeId', 'SubnetMask', 'StartRange', 'EndRange', 'Name', 'State']);
const VERSION_FIELDS = new Set(['MajorVersion', 'MinorVersion']);

export const DTD_REFUSED = 'DOCTYPE/entity declarations are not allowed (possible entity-expansion or external-entity attack)';

/** Element text, or null when the element held child elements instead of text. */
export type Field = string | null;
export type Fields = Record<string, Field>;

class XmlError extends Error {
  constructor(
    readonly at: number,
    readonly what: string,
    readonly notExport = false,
    readonly tooDeep = false,
  ) {
    super(what);
  }
}

const NAME = /[A-Za-z_:\u00C0-\uFFEF][\w.:\-\u00B7\u00C0-\uFFEF]*/y;
const ATTRIBUTE_NAME = /[A-Za-z_:][\w.:-]*/y;
const END_TAG_REST = /\s*>/y;
const NOT_SPACE = /\S/g;
const INCOMPLETE = -1;
/** Enough characters to tell "<!DOCTYPE" or "<!ENTITY" from other markup. */
const DECLARATION_SPAN = 9;

export class ExportScanner implements TextSink {
  readonly version: Fields = Object.create(null) as Fields;
  sawIPv4 = false;
  private buf = '';
  private pos = 0;
  /** Length of the unfinished tail at the last stop; scanning resumes once the buffer doubled. */
  private stalled = 0;
  private nextLt = -1;
  private readonly where = new TextPosition();
  private readonly stack: string[] = [];
  /** Where each open element began (offset in the whole text) and its line once known. */
  private readonly openedAt: number[] = [];
  private readonly openedLine: number[] = [];
  private rootSeen = false;
  private scope: Fields | undefined;
  /** The scope's ExclusionRanges/IPRange elements, each with its StartRange and EndRange. */
  private exclusions: Fields[] = [];
  private exclusion: Fields | undefined;
  private scopes = 0;
  private capture: { into: Fields; key: string; depth: number; value: string; nested: boolean } | undefined;
  /** The end of the previous chunk, so a "<!DOCTYPE" split across two chunks is still seen. */
  private seam = '';

  constructor(
    private readonly file: string,
    private readonly onScope: (fields: Fields, index: number, exclusions: Fields[]) => void,
  ) {}

  push(text: string): void {
    this.refuseDeclarations(text);
    if (this.pos > 0) this.discard();
    this.buf += text;
    // Re-scanning a long unfinished tail from its start after every chunk would be quadratic.
    if (this.buf.length < this.stalled * 2) return;
    this.guard(false);
  }

  /** After a scan error, a DTD further on still wins (as when the whole text was checked first). */
  drain(text: string): void {
    this.refuseDeclarations(text);
  }

  end(): void {
    this.guard(true);
    const top = this.stack.length - 1;
    try {
      if (top >= 0) {
        const name = this.stack[top]!;
        throw new XmlError(this.buf.length, `<${name}> opened at line ${this.lineOpened(top)} is never closed (truncated file?)`);
      }
      if (!this.rootSeen) throw new XmlError(0, `no <${ROOT}> element`, true);
    } catch (err) {
      throw this.inputError(err);
    }
  }

  private refuseDeclarations(text: string): void {
    const joined = this.seam + text;
    // An indexOf walk: far cheaper than a case-insensitive regex over a large export.
    for (let at = joined.indexOf('<!'); at !== -1; at = joined.indexOf('<!', at + 2)) {
      const word = joined.slice(at + 2, at + DECLARATION_SPAN).toUpperCase();
      if (word === 'DOCTYPE' || word.startsWith('ENTITY')) throw new InputError(`${this.file}: ${DTD_REFUSED}`);
    }
    this.seam = joined.slice(-(DECLARATION_SPAN - 1));
  }

  private guard(final: boolean): void {
    try {
      this.run(final);
    } catch (err) {
      throw this.inputError(err);
    }
  }

  private inputError(err: unknown): unknown {
    if (!(err instanceof XmlError)) return err;
    if (err.notExport) return new InputError(`${this.file}: not an Export-DhcpServer file: ${err.what}`);
    const { line, column } = this.where.of(this.buf, err.at);
    if (err.tooDeep) return new InputError(`${this.file}: ${nestedTooDeep(line)}`);
    return new InputError(`${this.file}: malformed XML at line ${line}, column ${column}: ${err.what}`);
  }

  /** Drops the scanned text; open elements that began in it get their line first. */
  private discard(): void {
    const cut = this.where.base + this.pos;
    const waiting: number[] = [];
    for (let k = 0; k < this.openedAt.length; k++) if (this.openedLine[k] === 0 && this.openedAt[k]! < cut) waiting.push(k);
    if (waiting.length > 0) {
      const lines = this.where.linesOf(
        this.buf,
        waiting.map((k) => this.openedAt[k]! - this.where.base),
      );
      for (const [i, k] of waiting.entries()) this.openedLine[k] = lines[i]!;
    }
    this.where.advance(this.buf, this.pos);
    this.buf = this.buf.slice(this.pos);
    this.pos = 0;
  }

  private lineOpened(k: number): number {
    const known = this.openedLine[k] ?? 0;
    return known !== 0 ? known : this.where.of(this.buf, (this.openedAt[k] ?? 0) - this.where.base).line;
  }

  private run(final: boolean): void {
    const text = this.buf;
    const n = text.length;
    let pos = this.pos;
    this.stalled = 0;
    this.nextLt = -1;
    while (pos < n) {
      const lt = this.nextLt >= pos ? this.nextLt : text.indexOf('<', pos);
      if (lt === -1 && !final) {
        // Text whose end (and whose entity references) may be in the next chunk.
        this.stalled = n - pos;
        break;
      }
      const end = lt === -1 ? n : lt;
      if (end > pos) {
        if (this.capture) this.capture.value += decodeText(text, pos, end);
        else if (this.stack.length === 0) {
          NOT_SPACE.lastIndex = pos;
          const m = NOT_SPACE.exec(text);
          if (m && m.index < end) throw new XmlError(m.index, 'text outside the root element');
        }
      }
      if (lt === -1) {
        pos = n;
        break;
      }
      pos = lt;
      const next = this.markup(text, lt, final);
      if (next === INCOMPLETE) {
        this.stalled = n - lt;
        break;
      }
      pos = next;
    }
    this.pos = pos;
  }

  /** Reads the markup at `lt`: the index after it, or INCOMPLETE when it ends in a later chunk. */
  private markup(text: string, lt: number, final: boolean): number {
    const n = text.length;
    if (lt + 1 >= n && !final) return INCOMPLETE;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) return after(text, lt, '?>', 'processing instruction', final);
    if (next === 0x21 /* ! */) {
      if (n - lt < DECLARATION_SPAN && !final) return INCOMPLETE;
      if (text.startsWith('<!--', lt)) return after(text, lt, '-->', 'comment', final);
      if (text.startsWith('<![CDATA[', lt)) {
        if (this.stack.length === 0) throw new XmlError(lt, 'CDATA outside the root element');
        const end = after(text, lt, ']]>', 'CDATA section', final);
        if (end !== INCOMPLETE && this.capture) this.capture.value += text.slice(lt + 9, end - 3);
        return end;
      }
      throw new XmlError(lt, 'unexpected markup declaration');
    }
    // No tag holds a '<' (attribute values cannot), so a tag is whole once the next '<' is here.
    this.nextLt = text.indexOf('<', lt + 1);
    if (this.nextLt === -1 && !final) return INCOMPLETE;
    return next === 0x2f /* / */ ? this.closingTag(text, lt) : this.startTag(text, lt);
  }

  private closingTag(text: string, lt: number): number {
    const stack = this.stack;
    const top = stack[stack.length - 1];
    // Fast path: the expected name followed directly by '>' (how every writer closes tags).
    if (top !== undefined && text.startsWith(top, lt + 2) && text.charCodeAt(lt + 2 + top.length) === 0x3e) {
      this.pop();
      return lt + 3 + top.length;
    }
    NAME.lastIndex = lt + 2;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) throw new XmlError(lt, 'invalid closing tag');
    END_TAG_REST.lastIndex = NAME.lastIndex;
    if (!END_TAG_REST.test(text)) throw new XmlError(lt, `closing tag </${name}> is not closed with '>'`);
    if (top === undefined) throw new XmlError(lt, `closing tag </${name}> without an opening tag`);
    if (top !== name) {
      throw new XmlError(lt, `closing tag </${name}> does not match <${top}> opened at line ${this.lineOpened(stack.length - 1)}`);
    }
    this.pop();
    return END_TAG_REST.lastIndex;
  }

  private startTag(text: string, lt: number): number {
    const nameEnd = endOfName(text, lt + 1);
    if (nameEnd === lt + 1) throw new XmlError(lt, "'<' not followed by a tag name (write it as &lt;)");
    const name = text.slice(lt + 1, nameEnd);
    let selfClosing = false;
    let pos: number;
    if (text.charCodeAt(nameEnd) === 0x3e /* > */) pos = nameEnd + 1;
    else {
      pos = attributesEnd(text, nameEnd, this.nextLt === -1 ? text.length : this.nextLt);
      if (pos === -1) throw new XmlError(lt, `malformed start tag <${name}>`);
      selfClosing = text.charCodeAt(pos - 2) === 0x2f; /* / */
    }
    this.onOpen(name, lt);
    if (selfClosing) this.onClose(this.stack.length + 1);
    else {
      if (this.stack.length >= MAX_NESTING) throw new XmlError(lt, '', false, true);
      this.stack.push(name);
      this.openedAt.push(this.where.base + lt);
      this.openedLine.push(0);
    }
    return pos;
  }

  private pop(): void {
    this.stack.pop();
    this.openedAt.pop();
    this.openedLine.pop();
    this.onClose(this.stack.length + 1);
  }

  private onOpen(name: string, at: number): void {
    const stack = this.stack;
    const depth = stack.length + 1;
    if (this.capture) this.capture.nested = true;
    if (depth === 1) {
      if (this.rootSeen) throw new XmlError(at, `a second root element <${name}>`);
      if (name !== ROOT) throw new XmlError(at, `root element is <${name}>, expected <${ROOT}>`, true);
      this.rootSeen = true;
    } else if (depth === 2) {
      if (VERSION_FIELDS.has(name)) this.capture = { into: this.version, key: name, depth, value: '', nested: false };
      else if (name === 'IPv4') this.sawIPv4 = true;
    } else if (depth === 4 && name === 'Scope' && stack[1] === 'IPv4' && stack[2] === 'Scopes') {
      this.scope = Object.create(null) as Fields;
    } else if (depth === 5 && this.scope && !this.capture && SCOPE_FIELDS.has(name)) {
      this.capture = { into: this.scope, key: name, depth, value: '', nested: false };
    } else if (depth === 6 && this.scope && name === 'IPRange' && stack[4] === 'ExclusionRanges') {
      this.exclusion = Object.create(null) as Fields;
    } else if (depth === 7 && this.exclusion && !this.capture && (name === 'StartRange' || name === 'EndRange')) {
      this.capture = { into: this.exclusion, key: name, depth, value: '', nested: false };
    }
  }

  private onClose(depth: number): void {
    const capture = this.capture;
    if (capture && capture.depth === depth) {
      capture.into[capture.key] = capture.nested ? null : capture.value.trim();
      this.capture = undefined;
    }
    if (depth === 6 && this.exclusion) {
      this.exclusions.push(this.exclusion);
      this.exclusion = undefined;
    }
    if (depth === 4 && this.scope) {
      this.onScope(this.scope, this.scopes++, this.exclusions);
      this.scope = undefined;
      this.exclusions = [];
    }
  }
}

// Hand-rolled because a regex match per tag (3 million in a large export) dominated the scan.
function endOfName(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
    if (letter || (i > from && ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7))) continue;
    break;
  }
  return i;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * After a start tag's name: its attributes (each `name = "value"` or 'value', no '<' in a value)
 * and its `>` or `/>`. The index after the tag, or -1 when it is malformed. A loop, not one
 * regex: a tag with a million attributes must not drive the regex engine into its stack limit.
 * `limit` is the next '<' (no tag holds one), so nothing is searched twice.
 */
function attributesEnd(text: string, from: number, limit: number): number {
  const n = Math.min(text.length, limit);
  let i = from;
  for (;;) {
    const before = i;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 0x3e /* > */) return i + 1;
    if (c === 0x2f /* / */) return text.charCodeAt(i + 1) === 0x3e ? i + 2 : -1;
    if (i === before) return -1; // an attribute must follow a blank
    ATTRIBUTE_NAME.lastIndex = i;
    if (!ATTRIBUTE_NAME.test(text)) return -1;
    i = ATTRIBUTE_NAME.lastIndex;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3d /* = */) return -1;
    i++;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) return -1;
    const close = text.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (close === -1) return -1;
    if (close >= limit) return -1;
    i = close + 1;
  }
}

function after(text: string, from: number, terminator: string, what: string, final: boolean): number {
  const end = text.indexOf(terminator, from);
  if (end !== -1) return end + terminator.length;
  if (final) throw new XmlError(from, `unterminated ${what}`);
  return INCOMPLETE;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:([a-z]+)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/y;

// Only the five predefined entities and character references exist without a DTD.
function decodeText(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let pos = 0;
  while (amp !== -1) {
    REFERENCE.lastIndex = amp;
    const m = REFERENCE.exec(raw);
    const code = m?.[2] !== undefined ? Number(m[2]) : m?.[3] !== undefined ? parseInt(m[3], 16) : undefined;
    const value = m?.[1] !== undefined ? PREDEFINED[m[1]] : code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    if (!m || value === undefined) {
      throw new XmlError(from + amp, `invalid entity reference ${JSON.stringify(raw.slice(amp, amp + 12))}`);
    }
    out += raw.slice(pos, amp) + value;
    pos = REFERENCE.lastIndex;
    amp = raw.indexOf('&', pos);
  }
  return out + raw.slice(pos);
}
