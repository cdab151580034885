// Rewrites the README's generated tables between their markers, so the table a user reads is the
// one the code enforces: the option table from the one option table (src/options.ts;
// test/unit/options-doc.test.ts) and the limits tables from the caps the code declares
// (src/limits-doc.ts; test/unit/limits-doc.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const options = await import(`${root}dist/src/options-doc.js`);
const limits = await import(`${root}dist/src/limits-doc.js`);
const path = `${root}README.md`;
const text = readFileSync(path, 'utf8');

function between(text, { BEGIN, END }, markdown, what) {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md: the ${what} markers are missing (${BEGIN} … ${END})`);
  return text.slice(0, start) + markdown + text.slice(end + END.length);
}

let next = between(text, options, options.optionsMarkdown(), 'option table');
next = between(next, limits, limits.limitsMarkdown(), 'limits table');
if (next !== text) writeFileSync(path, next);
