import type { Lexer } from './lexer.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A base64 character dhcpd's parse_base64 accepts ('=' included); it only knows ' '..'z'. */
function isBase64Char(ch: string): boolean {
  return ch === '=' || (ch >= ' ' && ch <= 'z' && ALPHABET.includes(ch));
}

/**
 * parse_base64() for a key's `secret`: the next token, then every following token made only of
 * base64 characters ('+' and '/' split a bare secret into several tokens), decoded as dhcpd
 * decodes it. Errors say what is wrong and never show any of the text.
 */
export function decodeKeySecret(lex: Lexer, line: number, label: string): Buffer {
  const first = lex.next();
  if (first.kind === 'eof') throw lex.error(first.line, `end of file in the secret of ${label}`);
  let text = first.text;
  for (;;) {
    const t = lex.peek();
    if (t.kind === 'eof' || ![...t.text].every(isBase64Char)) break;
    text += lex.next().text;
  }
  const out: number[] = [];
  let acc = 0;
  let k = 0;
  let terminated = false;
  for (const ch of text) {
    if (terminated && ch !== '=') throw lex.error(line, `the secret of ${label} has characters after the base64 '=' terminator`);
    if (ch === '=') {
      terminated = true;
    } else {
      const v = ch >= ' ' && ch <= 'z' ? ALPHABET.indexOf(ch) : -1;
      if (v < 0) throw lex.error(line, `the secret of ${label} is not base64`);
      acc = (acc << 6) + v;
      switch (k % 4) {
        case 1:
          out.push((acc >> 4) & 0xff);
          acc &= 0x0f;
          break;
        case 2:
          out.push((acc >> 2) & 0xff);
          acc &= 0x03;
          break;
        case 3:
          out.push(acc & 0xff);
          acc = 0;
          break;
      }
    }
    k++;
  }
  if (k % 4 !== 0 && acc !== 0) throw lex.error(line, `the secret of ${label} leaves a partial base64 value`);
  if (out.length === 0) throw lex.error(line, `the secret of ${label} is empty`);
  const bytes = Buffer.from(out);
  out.fill(0);
  return bytes;
}
