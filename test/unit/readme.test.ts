import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CHECK_IDS } from '../../src/checks/ids.js';
import { program } from '../../src/cli-program.js';
import { ConfigSchema } from '../../src/config-schema.js';
import { FORMATS } from '../../src/plan.js';
import { BEGIN, END, optionsMarkdown } from '../../src/options-doc.js';

// The README's usage tables against the registries they describe: an option, a check id or a
// format added in code and forgotten in the README fails here.

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const row = (start: string) => README.split('\n').find((l) => l.startsWith(start)) ?? assert.fail(`README has no row starting ${start}`);

describe('README usage tables', () => {
  it('name every option the CLI has', () => {
    const missing = program()
      .options.map((o) => o.long!)
      .filter((flag) => !README.includes(`\`${flag}`) && !README.includes(` ${flag}`) && !README.includes(`/${flag}`));
    assert.deepEqual(missing, []);
  });
  it('list every check id for --only / --skip, in registry order', () => {
    assert.ok(row('| `--only <ids>`').includes(CHECK_IDS.join(' ')));
  });
  it('list every format for --format', () => {
    assert.ok(row('| `--format <').includes(`one of ${FORMATS.map((f) => `\`${f}\``).join(', ')}`));
  });
  it('hold the option table the build writes from src/options.ts', () => {
    const start = README.indexOf(BEGIN);
    const end = README.indexOf(END);
    assert.ok(start !== -1 && end !== -1, 'the option table markers');
    assert.equal(README.slice(start, end + END.length), optionsMarkdown());
  });
  it('say what every top-level config key is', () => {
    const keys = Object.keys(ConfigSchema.shape).filter((k) => k !== '$schema');
    const documented = README.slice(README.indexOf('The config file (JSON or YAML'), README.indexOf('### Exit codes'));
    const flagFor = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    // A key is documented as itself, or as the flag of the same name in the table above.
    const missing = keys.filter(
      (k) => !documented.includes(`\`${k}`) && !documented.includes(` ${k}`) && !README.includes(`\`${flagFor(k)}`) && !README.includes(` ${flagFor(k)}`),
    );
    assert.deepEqual(missing, []);
  });
});
