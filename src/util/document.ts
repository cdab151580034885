import { Lexer, parse, parseDocument as yamlDocument } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { InputError } from './errors.js';
import { MAX_NESTING, nestedTooDeep } from './nesting.js';

// Our own documents (config file, inventory): JSON or YAML, checked by a zod schema, every problem
// one line that names the file and the first bad value. yaml is slow to load, so this module
// is only ever imported on demand (config.ts, preflight.ts, plan-file/load.ts, the inventory source).

/** `text` of file `path` parsed as YAML 1.2 (so JSON too) and validated by `schema`. */
export async function parseDocument<S extends z.ZodType>(path: string, text: string, schema: S): Promise<z.infer<S>> {
  const doc = parseYamlText(path, text);
  const parsed = schema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw new InputError(`${path}: ${zodIssue(parsed.error, schema, (at) => sourceAt(text, at))}`);
  return parsed.data;
}

/**
 * `text` of file `path` parsed as YAML 1.2 (so JSON too), unchecked: nesting is judged first, and
 * every refusal is one InputError naming the file.
 */
export function parseYamlText(path: string, text: string): unknown {
  const deep = tooDeepAt(text);
  if (deep !== undefined) throw new InputError(`${path}: ${nestedTooDeep(deep)}`);
  try {
    // maxAliasCount bounds "billion laughs" anchors; logLevel keeps YAML warnings off stderr.
    return parse(text, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true, logLevel: 'error' }) as unknown;
  } catch (err) {
    throw new InputError(`${path}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
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
