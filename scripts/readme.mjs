// Rewrites the README's option table from the one option table (src/options.ts), between its
// markers, so the table a user reads is the one the code parses (test/unit/options-doc.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { BEGIN, END, optionsMarkdown } = await import(`${root}dist/src/options-doc.js`);
const path = `${root}README.md`;
const text = readFileSync(path, 'utf8');
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start === -1 || end === -1) throw new Error(`README.md: the option table markers are missing (${BEGIN} … ${END})`);
const next = text.slice(0, start) + optionsMarkdown() + text.slice(end + END.length);
if (next !== text) writeFileSync(path, next);
