// Facts from the XML that `Export-DhcpServer -File x.xml -Leases:$false` writes. The export holds
// the server's configuration only: its version and scopes. Service state, the caller's rights,
// the time-skew limit and failover relationships are not in it, so they stay unknown.
//
// Why a purpose-built scanner rather than fast-xml-parser: on a 100 000-scope export (100 MB)
// fast-xml-parser 5.12 took 7-10 s to build the tree and its validator another 1.5 s, while we
// need six text fields per scope. The scanner below checks well-formedness (balanced, properly
// named tags; terminated comments, CDATA and PIs; valid entity references in the text it reads)
// and never processes a DTD: documents with one are refused before scanning.

import type { ScopeFact, ServerFacts } from '../facts.js';
import { InputError } from '../util/errors.js';
import { readTextFile } from './read-file.js';
import {
  WINDOWS_MAX_RELATIONSHIPS,
  invalid,
  ipv4Of,
  lineColumn,
  scopeFactOf,
  scopeStateOf,
  versionOf,
} from './windows-common.js';

const ROOT = 'DHCPServer';
const SCOPE_FIELDS = new Set(['ScopeId', 'SubnetMask', 'StartRange', 'EndRange', 'Name', 'State']);
const VERSION_FIELDS = new Set(['MajorVersion', 'MinorVersion']);

export async function loadWindowsExport(path: string): Promise<ServerFacts> {
  return windowsExportFacts(path, await readTextFile(path));
}

/** Exposed for tests and benchmarks that already hold the text. */
export function windowsExportFacts(file: string, text: string): ServerFacts {
  // Export-DhcpServer never writes a DTD; one here can only be an entity-expansion or
  // external-entity attack, so it is refused before anything else looks at the document.
  if (hasDeclaration(text)) {
    throw new InputError(
      `${file}: DOCTYPE/entity declarations are not allowed (possible entity-expansion or external-entity attack)`,
    );
  }
  let doc: Scanned;
  try {
    doc = scan(text);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    if (err.notExport) throw new InputError(`${file}: not an Export-DhcpServer file: ${err.what}`);
    const { line, column } = lineColumn(text, err.at);
    throw new InputError(`${file}: malformed XML at line ${line}, column ${column}: ${err.what}`);
  }

  const facts: ServerFacts = {
    source: `windows-export:${file}`,
    platform: 'windows',
    maxRelationships: WINDOWS_MAX_RELATIONSHIPS,
  };
  const { MajorVersion: major, MinorVersion: minor } = doc.version;
  if (major !== undefined || minor !== undefined) {
    facts.version = versionOf(
      wholeNumber(file, `${ROOT}/MajorVersion`, major),
      minor === undefined ? 0 : wholeNumber(file, `${ROOT}/MinorVersion`, minor),
    );
  }
  if (doc.sawIPv4) {
    const scopes: ScopeFact[] = new Array(doc.scopes.length);
    for (let i = 0; i < doc.scopes.length; i++) scopes[i] = scopeOf(file, i, doc.scopes[i]!);
    facts.scopes = scopes;
  }
  return facts;
}

// An indexOf walk: a case-insensitive regex over a 100 MB export cost ~100 ms.
function hasDeclaration(text: string): boolean {
  for (let at = text.indexOf('<!'); at !== -1; at = text.indexOf('<!', at + 2)) {
    const word = text.slice(at + 2, at + 9).toUpperCase();
    if (word === 'DOCTYPE' || word.startsWith('ENTITY')) return true;
  }
  return false;
}

function wholeNumber(file: string, path: string, value: Field | undefined): number {
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  throw invalid(file, path, 'a whole number', value ?? undefined);
}

function scopeOf(file: string, index: number, fields: Fields): ScopeFact {
  const path = `${ROOT}/IPv4/Scopes/Scope[${index + 1}]`;
  const text = (key: string): string | undefined => {
    const value = fields[key];
    if (value === null) throw invalid(file, `${path}/${key}`, 'text', 'child elements');
    return value === '' ? undefined : value;
  };
  const start = text('StartRange');
  const end = text('EndRange');
  return scopeFactOf(
    file,
    path,
    {
      scopeId: ipv4Of(file, `${path}/ScopeId`, text('ScopeId')),
      mask: ipv4Of(file, `${path}/SubnetMask`, text('SubnetMask')),
      start: start === undefined ? undefined : ipv4Of(file, `${path}/StartRange`, start),
      end: end === undefined ? undefined : ipv4Of(file, `${path}/EndRange`, end),
      name: text('Name'),
      state: scopeStateOf(text('State')),
    },
    '/',
  );
}

/** Element text, or null when the element held child elements instead of text. */
type Field = string | null;
type Fields = Record<string, Field>;

interface Scanned {
  version: Fields;
  sawIPv4: boolean;
  scopes: Fields[];
}

class XmlError extends Error {
  constructor(
    readonly at: number,
    readonly what: string,
    readonly notExport = false,
  ) {
    super(what);
  }
}

const NAME = /[A-Za-z_:\u00C0-\uFFEF][\w.:\-\u00B7\u00C0-\uFFEF]*/y;
const START_TAG_REST = /(?:\s+[A-Za-z_:][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>/y;
const END_TAG_REST = /\s*>/y;
const NOT_SPACE = /\S/g;

function scan(text: string): Scanned {
  const out: Scanned = { version: Object.create(null) as Fields, sawIPv4: false, scopes: [] };
  const stack: string[] = [];
  const openedAt: number[] = [];
  let rootSeen = false;
  let scope: Fields | undefined;
  let capture: { into: Fields; key: string; depth: number; value: string; nested: boolean } | undefined;

  const onOpen = (name: string, at: number): void => {
    const depth = stack.length + 1;
    if (capture) capture.nested = true;
    if (depth === 1) {
      if (rootSeen) throw new XmlError(at, `a second root element <${name}>`);
      if (name !== ROOT) throw new XmlError(at, `root element is <${name}>, expected <${ROOT}>`, true);
      rootSeen = true;
    } else if (depth === 2) {
      if (VERSION_FIELDS.has(name)) capture = { into: out.version, key: name, depth, value: '', nested: false };
      else if (name === 'IPv4') out.sawIPv4 = true;
    } else if (depth === 4 && name === 'Scope' && stack[1] === 'IPv4' && stack[2] === 'Scopes') {
      scope = Object.create(null) as Fields;
      out.scopes.push(scope);
    } else if (depth === 5 && scope && !capture && SCOPE_FIELDS.has(name)) {
      capture = { into: scope, key: name, depth, value: '', nested: false };
    }
  };
  const onClose = (depth: number): void => {
    if (capture && capture.depth === depth) {
      capture.into[capture.key] = capture.nested ? null : capture.value.trim();
      capture = undefined;
    }
    if (depth === 4) scope = undefined;
  };
  const lineOf = (at: number): number => lineColumn(text, at).line;

  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const end = lt === -1 ? text.length : lt;
    if (end > pos) {
      if (capture) capture.value += decodeText(text, pos, end);
      else if (stack.length === 0) {
        NOT_SPACE.lastIndex = pos;
        const m = NOT_SPACE.exec(text);
        if (m && m.index < end) throw new XmlError(m.index, 'text outside the root element');
      }
    }
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      pos = after(text, lt, '?>', 'processing instruction');
    } else if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) pos = after(text, lt, '-->', 'comment');
      else if (text.startsWith('<![CDATA[', lt)) {
        if (stack.length === 0) throw new XmlError(lt, 'CDATA outside the root element');
        pos = after(text, lt, ']]>', 'CDATA section');
        if (capture) capture.value += text.slice(lt + 9, pos - 3);
      } else throw new XmlError(lt, 'unexpected markup declaration');
    } else if (next === 0x2f /* / */) {
      const top = stack[stack.length - 1];
      // Fast path: the expected name followed directly by '>' (how every writer closes tags).
      if (top !== undefined && text.startsWith(top, lt + 2) && text.charCodeAt(lt + 2 + top.length) === 0x3e) {
        stack.pop();
        openedAt.pop();
        onClose(stack.length + 1);
        pos = lt + 3 + top.length;
        continue;
      }
      NAME.lastIndex = lt + 2;
      const name = NAME.exec(text)?.[0];
      if (name === undefined) throw new XmlError(lt, 'invalid closing tag');
      END_TAG_REST.lastIndex = NAME.lastIndex;
      if (!END_TAG_REST.test(text)) throw new XmlError(lt, `closing tag </${name}> is not closed with '>'`);
      if (top === undefined) throw new XmlError(lt, `closing tag </${name}> without an opening tag`);
      if (top !== name) {
        throw new XmlError(lt, `closing tag </${name}> does not match <${top}> opened at line ${lineOf(openedAt[openedAt.length - 1] ?? 0)}`);
      }
      stack.pop();
      openedAt.pop();
      onClose(stack.length + 1);
      pos = END_TAG_REST.lastIndex;
    } else {
      const nameEnd = endOfName(text, lt + 1);
      if (nameEnd === lt + 1) throw new XmlError(lt, "'<' not followed by a tag name (write it as &lt;)");
      const name = text.slice(lt + 1, nameEnd);
      let selfClosing: boolean;
      if (text.charCodeAt(nameEnd) === 0x3e /* > */) {
        selfClosing = false;
        pos = nameEnd + 1;
      } else {
        START_TAG_REST.lastIndex = nameEnd;
        const rest = START_TAG_REST.exec(text);
        if (!rest) throw new XmlError(lt, `malformed start tag <${name}>`);
        selfClosing = rest[1] === '/';
        pos = START_TAG_REST.lastIndex;
      }
      onOpen(name, lt);
      if (selfClosing) onClose(stack.length + 1);
      else {
        stack.push(name);
        openedAt.push(lt);
      }
    }
  }
  const top = stack[stack.length - 1];
  if (top !== undefined) {
    const at = openedAt[openedAt.length - 1] ?? 0;
    throw new XmlError(text.length, `<${top}> opened at line ${lineOf(at)} is never closed (truncated file?)`);
  }
  if (!rootSeen) throw new XmlError(0, `no <${ROOT}> element`, true);
  return out;
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

function after(text: string, from: number, terminator: string, what: string): number {
  const end = text.indexOf(terminator, from);
  if (end === -1) throw new XmlError(from, `unterminated ${what}`);
  return end + terminator.length;
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
    const value =
      m?.[1] !== undefined ? PREDEFINED[m[1]] : code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    if (!m || value === undefined) {
      throw new XmlError(from + amp, `invalid entity reference ${JSON.stringify(raw.slice(amp, amp + 12))}`);
    }
    out += raw.slice(pos, amp) + value;
    pos = REFERENCE.lastIndex;
    amp = raw.indexOf('&', pos);
  }
  return out + raw.slice(pos);
}
