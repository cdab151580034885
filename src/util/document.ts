import type { z } from 'zod';
import { InputError } from './errors.js';

// Our own documents (config file, inventory): JSON or YAML, checked by a zod schema, every problem
// one line that names the file and the first bad value.

/** `text` of file `path` parsed as YAML 1.2 (so JSON too) and validated by `schema`. */
export async function parseDocument<S extends z.ZodType>(path: string, text: string, schema: S): Promise<z.infer<S>> {
  // yaml costs ~60 ms to load: only a run with such a document pays for it.
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    // maxAliasCount bounds "billion laughs" anchors; logLevel keeps YAML warnings off stderr.
    doc = parse(text, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  } catch (err) {
    throw new InputError(`${path}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = schema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw new InputError(`${path}: ${zodIssue(parsed.error)}`);
  return parsed.data;
}

/** The first issue as `path.to.key: message (got value)`. */
export function zodIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
  const input = (issue as { input?: unknown }).input;
  const got = input !== undefined && typeof input !== 'object' ? ` (got ${JSON.stringify(input).slice(0, 60)})` : '';
  return `${where}: ${issue.message}${got}`;
}
