import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  allDhcpdVariants,
  allKeaVariants,
  formatRow,
  makeCerts,
  pick,
  removeCerts,
  removeHookCopies,
  runDhcpdVariant,
  runKeaVariant,
  type Certs,
  type OracleRow,
} from '../helpers/pair-oracle.js';

// The real pair is the judge (docs/testing.md, "The pair oracle"): every variant's truth comes
// from the servers themselves; the tool's verdicts before deploy and live must agree with it.
// ORACLE_COUNT (default: every variant) and ORACLE_SEED (default 19) choose the variants;
// ORACLE_PARALLEL (default 3) how many pairs run at once; ORACLE_ONLY keeps the variants whose name has that text.

const COUNT = Number(process.env.ORACLE_COUNT ?? 1000);
const SEED = Number(process.env.ORACLE_SEED ?? 19);
const PARALLEL = Math.max(1, Number(process.env.ORACLE_PARALLEL ?? 3));

describe(`pair oracle (seed ${SEED})`, () => {
  let certs: Certs;
  const kea = allKeaVariants();
  const dhcpd = allDhcpdVariants();
  const only = process.env.ORACLE_ONLY;
  const chosen = pick<{ versions?: [string, string]; id: string }>(
    [...kea, ...dhcpd].filter((v) => !only || v.id.includes(only)),
    COUNT,
    SEED,
  );
  before(() => {
    certs = makeCerts(Array.from({ length: chosen.length + 1 }, (_, i) => [`127.0.${i + 1}.1`, `127.0.${i + 1}.2`]).flat());
  });
  after(() => {
    removeCerts(certs);
    removeHookCopies();
  });

  it(`${chosen.length} variants: READY exactly when the real pair reaches its operating state`, { timeout: 15 * 60_000 }, async () => {
    const rows: OracleRow[] = [];
    const queue = chosen.map((v, i) => ({ v, k: i + 1 }));
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { v, k } = item;
        const row =
          'conf' in v
            ? await runDhcpdVariant(v as ReturnType<typeof allDhcpdVariants>[number])
            : await runKeaVariant(v as ReturnType<typeof allKeaVariants>[number], k, certs);
        rows.push(row);
        console.log(formatRow(row));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const bad = rows.filter((r) => r.disagreements.length > 0);
    assert.equal(bad.length, 0, `the tool and the servers disagree on ${bad.length} of ${rows.length} variants:\n${bad.map(formatRow).join('\n')}`);
  });
});
