import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdown } from '../../../src/report/markdown.js';
import { report, result, tree } from '../../helpers/report-fixture.js';

const markdownReporter = (r: Parameters<typeof tree>[0], o: typeof opts) => markdown.render(tree(r), o);

const opts = { color: false, verbose: false };

describe('markdown reporter', () => {
  const r = report([
    result('dns', 'pass', 'resolves to 192.0.2.2'),
    result('scopes', 'fail', 'Scopes exist on the partner.\n10.0.20.0/24 collides', {
      details: { partner: 'dhcp2', scopes: ['10.0.20.0/24'] },
      fix: 'Remove-DhcpServerv4Scope <id>',
    }),
    result('relationships', 'warn', 'full', { ignored: true }),
    result('time', 'unknown', 'a clock could not be read'),
    result('peers', 'skip', 'nothing to compare'),
  ]);
  const out = markdownReporter(r, opts);
  it('a GFM table: symbol, id, title, verdict, message; one row per check in report order', () => {
    const rows = out.split('\n').filter((l) => l.startsWith('| '));
    assert.equal(rows[0], '| | check | title | verdict | message |');
    assert.deepEqual(
      rows.slice(1).map((l) => l.split(' | ')[1]),
      ['`dns`', '`scopes`', '`relationships`', '`time`', '`peers`'],
    );
    assert.ok(out.includes('\n|---|---|---|---|---|\n'));
    assert.ok(out.includes('| ❌ | `scopes` | title of scopes | fail | Scopes exist on the partner.<br>10.0.20.0/24 collides |'));
    assert.ok(out.includes('| ⚠️ | `relationships` | title of relationships | warn (failure ignored) | full |'));
    assert.ok(out.includes('| ❓ | `time` |'));
  });
  it("a headline with the verdict and the counts, and the failures' details in fences", () => {
    assert.match(
      out,
      /^## DHCP failover preflight: dhcp2\.lab\.test \(192\.0\.2\.2\)\n\n\*\*FAILED\*\* — 1 passed, 1 warnings, 1 failed, 1 skipped, 1 unknown; exit code 1\n/,
    );
    assert.match(
      out,
      /#### ❌ `scopes` — fail \(`scopes\.test-fail`\)\n\n```text\nScopes exist on the partner\.\n10\.0\.20\.0\/24 collides\npartner: dhcp2\nscopes: 10\.0\.20\.0\/24\n```\n\n\*\*Fix:\*\* Remove-DhcpServerv4Scope &lt;id&gt;\n/,
    );
    assert.match(out, /#### ❓ `time` — unknown/);
    assert.doesNotMatch(out, /#### .*`dns`/, 'passing checks have no details section');
  });
  it('text cannot break the table or inject markup', () => {
    const evil = markdownReporter(report([result('dns', 'fail', 'a | b <script>x</script> `c` **d**\n```\nescaped?')]), opts);
    const row = evil.split('\n').find((l) => l.includes('`dns`'))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 7, 'five cells: no | from the message splits a cell');
    assert.ok(row.includes('&lt;script&gt;'));
    const fence = evil.slice(evil.indexOf('```text'));
    assert.ok(!evil.slice(0, evil.indexOf('```text')).includes('<script>'), 'raw HTML only inside the code fence');
    assert.equal(fence.split('\n').filter((l) => l.startsWith('```')).length, 2, 'a ``` in the text does not close the fence');
  });
  it('an all-pass run says PASSED and has no details section', () => {
    const ok = markdownReporter(report([result('dns', 'pass', 'ok')]), opts);
    assert.match(ok, /\*\*PASSED\*\*/);
    assert.doesNotMatch(ok, /### Details/);
  });
});
