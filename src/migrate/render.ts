// JSON with `//` comment lines, as Kea reads its configuration. A comment is an object member
// whose key begins with "//" (comment() makes unique ones); render() prints it as a line of its
// own before the members that follow, and strips those members from the data.

/** A JSON value whose objects may carry comment members. */
export type Doc = unknown;

let counter = 0;

/** Comment members, one per line given, to spread into an object literal. */
export function comment(...lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) out[`//${counter++}`] = line;
  return out;
}

const isComment = (key: string) => key.startsWith('//');

/** The value without its comments (what a JSON parser reading the rendered text gets). */
export function plain(value: Doc): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !isComment(k))
        .map(([k, v]) => [k, plain(v)]),
    );
  return value;
}

/** Pretty-printed JSON (two spaces), each comment member a `// ...` line. */
export function render(value: Doc, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${render(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines: string[] = [];
    const data = entries.filter(([k]) => !isComment(k)).length;
    let seen = 0;
    for (const [k, v] of entries) {
      if (isComment(k)) {
        for (const l of String(v).split('\n')) lines.push(`${inner}// ${l}`);
        continue;
      }
      seen++;
      lines.push(`${inner}${JSON.stringify(k)}: ${render(v, inner)}${seen < data ? ',' : ''}`);
    }
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Reads JSON with Kea's comments (`#`, `//`, `/* *\/` outside strings) and trailing commas, as keama
 * writes and Kea reads it. Values are kept as they are (secrets too: the result is written back
 * into a configuration, never printed in a report).
 */
export function parseCommented(text: string, what: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '#' || text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(out);
  } catch (err) {
    throw new SyntaxError(`${what}: not JSON (${(err as Error).message})`);
  }
}
