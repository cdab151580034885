import { Lexer, parse, parseDocument as yamlDocument } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { InputError } from './errors.js';
import { formatSizes } from './file-caps.js';
import { MAX_NESTING, nestedTooDeep } from './nesting.js';

// Our own documents (config file, inventory): JSON or YAML, checked by a zod schema, every problem
// one line that names the file and the first bad value. yaml is slow to load, so this module
// is only ever imported on demand (config.ts, preflight.ts, plan-file/load.ts, the inventory source).

export interface DocumentLimits {
  /**
   * The largest YAML (not JSON) text taken; a larger one is refused with a hint to write it as
   * JSON. Config and plan files pass YAML_MAX_BYTES; the default takes any size.
   */
  maxYamlBytes?: number;
}

export { YAML_MAX_BYTES } from './file-caps.js';

/**
 * `text` of file `path` parsed as YAML 1.2 (so JSON too) and validated by `schema`. A text that
 * is JSON (it opens with `{` or `[` and JSON.parse takes it) is parsed by JSON.parse, its depth
 * bounded and duplicate keys refused as for YAML: the same values, in a fraction of the time.
 */
export async function parseDocument<S extends z.ZodType>(path: string, text: string, schema: S, limits: DocumentLimits = {}): Promise<z.infer<S>> {
  const doc = parseDocumentText(path, text, limits);
  const parsed = schema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw new InputError(`${path}: ${zodIssue(parsed.error, schema, (at) => sourceAt(text, at))}`);
  return parsed.data;
}

/** parseDocument's text step: the value, unchecked (JSON by JSON.parse, else YAML), or one InputError naming the file. */
export function parseDocumentText(path: string, text: string, limits: DocumentLimits = {}): unknown {
  let doc: unknown;
  const json = looksLikeJson(text) ? parseJson(path, text) : undefined;
  if (json && 'value' in json) doc = json.value;
  else {
    const max = limits.maxYamlBytes;
    const bytes = max === undefined ? 0 : Buffer.byteLength(text);
    if (max !== undefined && bytes > max) {
      const [size, limit] = formatSizes(bytes, max);
      if (json) throw new InputError(`${path}: not valid JSON (${json.error}), and at ${size} more than the ${limit} read as YAML`);
      throw new InputError(
        `${path}: a YAML document of ${size} is more than the ${limit} read as YAML (write it as JSON, read at any size up to the file limit)`,
      );
    }
    doc = parseYamlText(path, text);
  }
  return doc;
}

/**
 * `text` of file `path` parsed as YAML 1.2 (so JSON too), unchecked: nesting is judged first, and
 * every refusal is one InputError naming the file.
 */
function parseYamlText(path: string, text: string): unknown {
  const deep = tooDeepAt(text);
  if (deep !== undefined) throw new InputError(`${path}: ${nestedTooDeep(deep)}`);
  try {
    // maxAliasCount bounds "billion laughs" anchors; logLevel keeps YAML warnings off stderr.
    return parse(text, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true, logLevel: 'error' }) as unknown;
  } catch (err) {
    throw new InputError(`${path}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

/** The first character that is not a blank opens an object or an array. */
function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  return first === '{' || first === '[';
}

/**
 * The value when `text` is JSON, else JSON.parse's complaint (a YAML flow mapping, a comment, a
 * trailing comma: yaml reads it and words any error). A duplicate key is refused as yaml refuses it.
 */
function parseJson(path: string, text: string): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]!.slice(0, 120) };
  }
  const found = scanJson(text);
  if (found?.deep) throw new InputError(`${path}: ${nestedTooDeep(found.line)}`);
  const dup = found;
  if (dup) throw new InputError(`${path}: not valid JSON or YAML (Map keys must be unique at line ${dup.line}: ${JSON.stringify(dup.key).slice(0, 60)})`);
  return { value };
}

/**
 * In one pass over a text JSON.parse has taken: where it nests deeper than MAX_NESTING (counted
 * as tooDeepAt counts a JSON text: its first line's level and one per open bracket; that walk
 * over yaml's lexer took 3 s for 16 MiB, this one a tenth of it), else the first key repeated
 * within one object (a set of keys per open object). Valid JSON holds no raw newline in a
 * string, so lines count simply.
 */
function scanJson(text: string): { key: string; line: number; deep?: true } | undefined {
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      for (; ; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j++;
        } else if (d === 0x22) break;
      }
      if (expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        const keys = open[open.length - 1]!;
        if (keys.has(key)) return { key, line };
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      open.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
      if (open.length + 1 > MAX_NESTING) return { key: '', line, deep: true };
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) expectKey = open[open.length - 1] !== null;
    else if (c === 0x0a) line++;
  }
  return undefined;
}

/** How a scalar was written in the text (`1e400`, `.inf`), for a value that lost it in parsing. */
export function sourceAt(text: string, path: readonly PropertyKey[]): string | undefined {
  try {
    const node = yamlDocument(text, { logLevel: 'silent' }).getIn(path as unknown[], true) as { source?: unknown } | undefined;
    return typeof node?.source === 'string' ? node.source : undefined;
  } catch {
    return undefined;
  }
}

/** A field that holds seconds, by its name: its refusal says so. */
const SECONDS = /timeout|skew|seconds/i;

/**
 * The first issue as `path.to.key: message (got value)`; an unknown key gets a did-you-mean from
 * `schema`; a number that overflowed to Infinity (1e400, YAML's .inf) or is NaN (.nan) is "must be
 * a finite number" in its own words (`sourceOf` finds how it was written), never "got null".
 */
export function zodIssue(error: z.ZodError, schema?: z.ZodType, sourceOf?: (path: readonly PropertyKey[]) => string | undefined): string {
  // A misspelt key is also a missing one ("adress:" leaves address undefined): the typo is the news.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return 'invalid';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const guess = didYouMean(key, keysAt(schema, issue.path));
    return `${[...issue.path, key].join('.')}: unknown key${guess ? ` (did you mean ${guess}?)` : ''}`;
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
  const input = (issue as { input?: unknown }).input;
  if (typeof input === 'number' && !Number.isFinite(input)) {
    const seconds = SECONDS.test(String(issue.path[issue.path.length - 1] ?? ''));
    return `${where}: must be a finite number${seconds ? ' of seconds' : ''} (got ${sourceOf?.(issue.path) ?? String(input)})`;
  }
  const got = input !== undefined && typeof input !== 'object' ? ` (got ${JSON.stringify(input).slice(0, 60)})` : '';
  return `${where}: ${issue.message}${got}`;
}

/** The keys an object schema knows at `path` (through optional wrappers and arrays), for did-you-mean. */
function keysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = () => {
    while (s && typeof s === 'object' && 'unwrap' in s && typeof s.unwrap === 'function') s = (s.unwrap as () => unknown).call(s);
  };
  for (const segment of path) {
    unwrap();
    if (typeof segment === 'number') {
      // zod's unwrap() already turned an array into its element type.
      if (s && typeof s === 'object' && 'element' in s) s = s.element;
    } else if (s && typeof s === 'object' && 'shape' in s) s = (s.shape as Record<string, unknown>)[String(segment)];
    else if (s && typeof s === 'object' && 'valueType' in s)
      s = s.valueType; // a record: every key has the value's schema
    else return [];
  }
  unwrap();
  return s && typeof s === 'object' && 'shape' in s ? Object.keys(s.shape as object) : [];
}

/**
 * The line where the text nests deeper than MAX_NESTING, or undefined. yaml's composer recurses
 * into every level, so depth is judged first, over the lexer's tokens (a loop, linear): flow
 * brackets open a level each; in block context each indentation deeper than the lines above it,
 * and each `-` or `?` indicator on a line, does. An upper bound (a `- key:` line and its
 * continuation count twice), far above any real document.
 */
function tooDeepAt(text: string): number | undefined {
  let line = 1;
  let flow = 0;
  const indents: number[] = [];
  let inLine = 0; // block indicators on this line
  // At a line's start: its indentation so far, applied at its first token that is not a blank,
  // a comment or the line's end (blank and comment lines say nothing about nesting).
  let pending: number | undefined = 0;
  for (const token of new Lexer().lex(text)) {
    const first = token.charCodeAt(0);
    const newline = token.includes('\n');
    if (pending !== undefined && flow === 0 && !newline) {
      if (first === 0x20 && token.trim() === '') pending = token.length;
      else if (first !== 0x23 /* # */) {
        while (indents.length > 0 && indents[indents.length - 1]! >= pending) indents.pop();
        indents.push(pending);
        pending = undefined;
      }
    }
    if (token === '[' || token === '{') flow++;
    else if ((token === ']' || token === '}') && flow > 0) flow--;
    else if (flow === 0 && (token === '-' || token === '?')) inLine++;
    if (indents.length + inLine + flow > MAX_NESTING) return line;
    if (!newline) continue;
    for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) line++;
    if (token.endsWith('\n')) {
      pending = 0;
      inLine = 0;
    }
  }
  return undefined;
}
