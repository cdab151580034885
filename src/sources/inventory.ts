import { statSync } from 'node:fs';
import type { ServerFacts } from '../facts.js';
import { ChunkedTextDecoder } from '../util/decode-text.js';
import { parseDocumentText, sourceAt, zodIssue } from '../util/document.js';
import { InputError } from '../util/errors.js';
import { FILE_CAPS } from '../util/file-caps.js';
import { inputName } from '../util/input-file.js';
import { DEFAULT_INPUT_DEADLINE, guardedChunks, readGuardedText, type InputDeadline } from '../util/read-guarded.js';
import { InventoryCollector, type SourceOf } from './inventory-facts.js';
import { InventoryJsonReader } from './inventory-json.js';
import { InventorySchema } from './inventory-schema.js';
import { JsonSyntaxError } from './json-stream.js';

// Our own description of a server, for platforms (or situations) no other source covers.
//
// A JSON inventory (its first character, after any byte-order mark and blanks, is `{`) is
// streamed: memory follows its facts, not its text (inventory-json.ts). Anything else is YAML and
// read whole, the text and then its tree: the YAML parser does not stream. So is a JSON text the
// streaming reader refuses, so that its error is the YAML parser's, as before (a flow mapping
// `{platform: kea}` is YAML, not JSON). Both roads end in the same checks and facts
// (inventory-facts.ts), and the YAML one has the lower cap (file-caps.ts).

export { InventorySchema } from './inventory-schema.js';

/** JSON's blanks, as the streaming reader skips them. */
const BLANK = /^[ \t\n\r]*/;

/** '{': JSON; another character: YAML; undefined: only blanks so far. */
function firstCharacter(text: string): string | undefined {
  const blanks = BLANK.exec(text)![0].length;
  return blanks < text.length ? text[blanks] : undefined;
}

export async function loadInventory(path: string, deadline: InputDeadline = DEFAULT_INPUT_DEADLINE): Promise<ServerFacts> {
  // A pipe can be read only once: read whole (at the YAML cap) and parsed from memory.
  if (isPipe(path)) return inventoryFacts(path, await readGuardedText(path, { purpose: 'inventory-yaml', ...deadline }));
  const decoder = new ChunkedTextDecoder(inputName(path, { purpose: 'inventory' }));
  const reader = new InventoryJsonReader(path);
  let json = false;
  let refused: JsonSyntaxError | undefined;
  const feed = (text: string): boolean => {
    if (!json) {
      const first = firstCharacter(text);
      if (first !== undefined && first !== '{') return false;
      json = first === '{';
    }
    try {
      reader.push(text);
      return true;
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      refused = err;
      return false;
    }
  };
  // A text that cannot be decoded goes the whole-document road too, unless it is JSON too large
  // for that road: the words for the problem are then decodeText's, as before, and a file that is
  // not known to be JSON is refused by its size first.
  const decode = (text: () => string): string | undefined => {
    try {
      return text();
    } catch (err) {
      if (err instanceof InputError && (!json || fileSize(path) <= FILE_CAPS['inventory-yaml'])) return undefined;
      throw err;
    }
  };
  let whole = true;
  for await (const chunk of guardedChunks(path, { purpose: 'inventory', ...deadline })) {
    const text = decode(() => decoder.write(chunk));
    if (text === undefined || !feed(text)) {
      whole = false;
      break;
    }
  }
  const last = whole ? decode(() => decoder.end()) : undefined;
  if (last !== undefined && feed(last) && json) {
    try {
      reader.end();
      return reader.facts();
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      refused = err;
    }
  }
  // YAML, or JSON the streaming reader refused: the whole-document road, within its cap. A JSON
  // file too large for it keeps the streaming reader's own words.
  if (refused && fileSize(path) > FILE_CAPS['inventory-yaml']) throw new InputError(`${path}: ${refused.message}`);
  return yamlFacts(path, await readGuardedText(path, { purpose: 'inventory-yaml', ...deadline }));
}

/** An inventory whose text is already in memory (a pipe's; tests). */
export function inventoryFacts(path: string, text: string): ServerFacts {
  if (firstCharacter(text) === '{') {
    const reader = new InventoryJsonReader(path);
    try {
      reader.push(text);
      reader.end();
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      return yamlFacts(path, text);
    }
    return reader.facts();
  }
  return yamlFacts(path, text);
}

/** The whole-document road: the YAML parser's tree, its lists' elements checked one by one. */
function yamlFacts(path: string, text: string): ServerFacts {
  const doc = parseDocumentText(path, text);
  const sourceOf: SourceOf = (at) => sourceAt(text, at);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    const parsed = InventorySchema.safeParse(doc, { reportInput: true });
    throw new InputError(`${path}: ${parsed.success ? 'document: expected an object' : zodIssue(parsed.error, InventorySchema, sourceOf)}`);
  }
  const collector = new InventoryCollector(path);
  const { relationships, scopes, ...rest } = doc as Record<string, unknown>;
  for (const [name, value] of [
    ['relationships', relationships],
    ['scopes', scopes],
  ] as const) {
    if (!Object.hasOwn(doc, name)) continue;
    if (!Array.isArray(value)) collector.notArray(name, value, sourceOf);
    else {
      collector.begin(name);
      for (let i = 0; i < value.length; i++) collector.element(name, i, value[i], sourceOf);
    }
  }
  collector.setRest(rest, sourceOf);
  return collector.facts();
}

function isPipe(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false; // the reader names the problem
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
