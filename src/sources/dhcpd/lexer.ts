import { InputError } from '../../util/errors.js';
import { escapeControl } from '../../util/escape.js';

/**
 * dhcpd's token classes (common/conflex.c): `number` is NUMBER (an optional '-' then decimal
 * digits), `number-or-name` is a word of hex digits (or 0x...), `name` any other word (keywords
 * included: dhcpd counts every keyword as an identifier), `punct` one other character.
 */
export type TokenKind = 'string' | 'number' | 'number-or-name' | 'name' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Decoded text: a string's value after escapes, a word as written, the punctuation character. */
  text: string;
  line: number;
  /** The line the token ends on (a string may span lines). */
  endLine: number;
}

/** dhcpd's token buffer is 1500 bytes: a longer token or string is a parse error there. */
export const MAX_TOKEN_BYTES = 1499;

const EOF = -1;
const NL = 0x0a;

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
const isXDigit = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c: number): number => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10);

const utf8 = new TextDecoder('utf-8');

/**
 * A pull lexer over one file's bytes that mirrors dhcpd's: `#` to end of line, strings with
 * `\t \r \n \b \NNN \xHH` escapes, words of `[A-Za-z0-9_-]`, every other byte a token of its
 * own. dhcpd reads through a signed `char`, so a 0xFF byte reads as EOF there; so it does here.
 */
export class Lexer {
  private pos = 0;
  private line = 1;
  private peeked: Token | undefined;
  private lines: string[] | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    /** Prefix of every error: `dhcpd: <file>`. */
    readonly where: string,
    /** Called once per token, with its line, so the caller can bound the total across files. */
    private readonly onToken: (line: number) => void = () => undefined,
  ) {}

  /** For dhcpd's few look-aheads (an IP address or a host name?): a point to go back to. */
  save(): { pos: number; line: number; peeked: Token | undefined } {
    return { pos: this.pos, line: this.line, peeked: this.peeked };
  }

  restore(state: { pos: number; line: number; peeked: Token | undefined }): void {
    ({ pos: this.pos, line: this.line, peeked: this.peeked } = state);
  }

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  /** An InputError `dhcpd: <file> line N: <message>`. */
  error(line: number, message: string): InputError {
    return new InputError(`${this.where} line ${line}: ${message}`);
  }

  /**
   * The token quoted for an error message, or undefined when any line it touches mentions a
   * secret: error messages never carry key material, however the file is broken.
   */
  quote(token: Token): string | undefined {
    if (token.kind === 'eof') return 'end of file';
    this.lines ??= utf8.decode(this.bytes).split('\n');
    for (let l = token.line; l <= token.endLine; l++) {
      if (/secret/i.test(this.lines[l - 1] ?? '')) return undefined;
    }
    return printable(token.text, 40);
  }

  private get(): number {
    if (this.pos >= this.bytes.length) return EOF;
    const c = this.bytes[this.pos++]!;
    if (c === NL) this.line++;
    return c === 0xff ? EOF : c;
  }

  /** Like dhcpd, an EOF (the end, or a 0xFF byte) is never put back: that byte is gone. */
  private unget(c: number): void {
    if (c === EOF) return;
    this.pos--;
    if (c === NL) this.line--;
  }

  private read(): Token {
    for (;;) {
      const line = this.line;
      const c = this.get();
      if (c === EOF) return { kind: 'eof', text: '', line, endLine: line };
      if (isSpace(c)) continue;
      if (c === 0x23) {
        this.skipToEol();
        continue;
      }
      this.onToken(line);
      if (c === 0x22) return this.readString(line);
      if (isDigit(c) || c === 0x2d) return this.readNumber(c, line);
      if (isAlpha(c)) return this.readName(line);
      return { kind: 'punct', text: String.fromCharCode(c), line, endLine: line };
    }
  }

  private skipToEol(): void {
    for (;;) {
      const c = this.get();
      if (c === EOF || c === NL) return;
    }
  }

  /** read_string(): the same escape state machine, its warnings raised as errors. */
  private readString(line: number): Token {
    const out: number[] = [];
    let bs = 0;
    let value = 0;
    let hex = false;
    for (;;) {
      if (out.length > MAX_TOKEN_BYTES) throw this.error(line, `string longer than ${MAX_TOKEN_BYTES} bytes`);
      const c = this.get();
      if (c === EOF) throw this.error(line, 'end of file inside a string');
      if (bs === 1) {
        if (c === 0x74) out.push(0x09);
        else if (c === 0x72) out.push(0x0d);
        else if (c === 0x6e) out.push(0x0a);
        else if (c === 0x62) out.push(0x08);
        else if (c >= 0x30 && c <= 0x33) {
          hex = false;
          value = c - 0x30;
          bs = 2;
          continue;
        } else if (c === 0x78) {
          hex = true;
          value = 0;
          bs = 2;
          continue;
        } else out.push(c);
        bs = 0;
      } else if (bs > 1) {
        if (hex) {
          if (!isXDigit(c)) throw this.error(this.line, 'invalid hex digit in a string escape');
          value = value * 16 + hexValue(c);
        } else if (c >= 0x30 && c <= 0x37) {
          value = value * 8 + (c - 0x30);
        } else {
          if (value !== 0) throw this.error(this.line, 'invalid octal digit in a string escape');
          // dhcpd's quirk, kept: "\0" then a non-octal byte drops that byte and reads on as an escape.
          out.push(0);
          bs = 0;
        }
        if (++bs === 4) {
          out.push(value & 0xff);
          bs = 0;
        }
      } else if (c === 0x5c) {
        bs = 1;
      } else if (c === 0x22) {
        break;
      } else {
        out.push(c);
      }
    }
    return { kind: 'string', text: utf8.decode(Uint8Array.from(out)), line, endLine: this.line };
  }

  /** read_number(): NUMBER, promoted to NUMBER_OR_NAME or NAME by the bytes that follow. */
  private readNumber(first: number, line: number): Token {
    const start = this.pos - 1;
    let kind: TokenKind = 'number';
    let len = 1;
    for (;;) {
      const c = this.get();
      if (kind === 'number' && isDigit(c)) {
        // stays a number
      } else if (kind !== 'name' && isXDigit(c)) {
        kind = 'number-or-name';
      } else if (len === 2 && isXDigit(c) && this.bytes[start] === 0x30 && (this.bytes[start + 1]! | 0x20) === 0x78) {
        kind = 'number-or-name';
      } else if (c === 0x2d || c === 0x5f || isAlnum(c)) {
        kind = 'name';
      } else {
        this.unget(c);
        break;
      }
      if (++len > MAX_TOKEN_BYTES) throw this.error(line, `word longer than ${MAX_TOKEN_BYTES} bytes`);
    }
    if (len === 1 && first === 0x2d) return { kind: 'punct', text: '-', line, endLine: line };
    return { kind, text: this.slice(start), line, endLine: line };
  }

  /** read_num_or_name(): a word starting with a letter; NUMBER_OR_NAME while all hex digits. */
  private readName(line: number): Token {
    const start = this.pos - 1;
    // dhcpd never tests the first letter: `g` alone is NUMBER_OR_NAME there too.
    let kind: TokenKind = 'number-or-name';
    let len = 1;
    for (;;) {
      const c = this.get();
      if (c !== 0x2d && c !== 0x5f && !isAlnum(c)) {
        this.unget(c);
        break;
      }
      if (!isXDigit(c)) kind = 'name';
      if (++len > MAX_TOKEN_BYTES) throw this.error(line, `word longer than ${MAX_TOKEN_BYTES} bytes`);
    }
    return { kind, text: this.slice(start), line, endLine: line };
  }

  private slice(start: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, this.pos - start).toString('latin1');
  }
}

/** Text safe for a one-line message: control characters escaped, cut at `max` characters. */
export function printable(text: string, max = 200): string {
  const safe = escapeControl(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
