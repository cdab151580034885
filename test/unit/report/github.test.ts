import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRunReport } from '../../../src/report/build.js';
import { command, github } from '../../../src/report/github.js';
import { PAIRINGS } from '../../helpers/plan-report.js';
import { report, result, tree } from '../../helpers/report-fixture.js';

const opts = { color: false, verbose: false };

/** What the Actions runner does with a command line (actions/toolkit's unescape rules). */
function parse(line: string): { level: string; title: string; message: string } {
  const m = /^::(\w+) title=([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const data = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return { level: m[1]!, title: data(m[2]!.replace(/%3A/g, ':').replace(/%2C/g, ',')), message: data(m[3]!) };
}

describe('github format', () => {
  it('an ::error per failed or undetermined check, a ::warning per warning, the verdict as ::notice', () => {
    const r = report([
      result('dns', 'pass', 'resolves'),
      result('scopes', 'fail', 'Following scopes already exist.\n10.0.20.0/24', { fix: 'Remove-DhcpServerv4Scope 10.0.20.0' }),
      result('version', 'unknown', 'not known'),
      result('reachability', 'warn', 'port closed'),
      result('peers', 'skip', 'not selected'),
    ]);
    const lines = github.render(tree(r), opts).trimEnd().split('\n').map(parse);
    assert.deepEqual(
      lines.map((l) => [l.level, l.title]),
      [
        ['error', 'scopes'],
        ['error', 'version (not determined)'],
        ['warning', 'reachability'],
        ['notice', 'dhcp-failover-check'],
      ],
    );
    assert.equal(lines[0]!.message, 'Following scopes already exist.\n10.0.20.0/24\nfix: Remove-DhcpServerv4Scope 10.0.20.0');
    assert.match(lines[3]!.message, /^NOT READY: 1 passed, 1 warnings, 1 failed, 1 not determined; exit code 1$/);
  });

  it('READY when nothing failed or is undetermined', () => {
    const out = github.render(tree(report([result('dns', 'pass', 'ok'), result('ip', 'warn', 'loopback')])), opts);
    assert.match(out, /^::warning title=ip::loopback\n::notice title=dhcp-failover-check::READY: /);
  });

  it('escapes as GitHub documents: % CR LF in data, and : , in properties too', () => {
    const line = command('error', 'a:b,c%d', '100% done\r\nnext: a,b');
    assert.equal(line, '::error title=a%3Ab%2Cc%25d::100%25 done%0D%0Anext: a,b');
    assert.deepEqual(parse(line), { level: 'error', title: 'a:b,c%d', message: '100% done\r\nnext: a,b' });
  });

  it('a message cannot start a second command or carry a terminal escape', () => {
    const out = github.render(tree(report([result('scopes', 'fail', 'x\n::error title=forged::y\x1b]0;pwned\x07')])), opts);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2, 'one annotation and the verdict: the newline is escaped');
    assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(parse(lines[0]!).message, /\\x1b\]0;pwned\\x07$/);
  });

  it('a plan names the pairing in each title', () => {
    const out = github.render(buildRunReport('fleet.yaml', PAIRINGS, new Date()), opts);
    const lines = out.trimEnd().split('\n').map(parse);
    assert.deepEqual(
      lines.map((l) => [l.level, l.title]),
      [
        ['error', 'hub -> branch#2: relationships'],
        ['error', 'hub -> branch#2: scopes (not determined)'],
        ['notice', 'dhcp-failover-check'],
      ],
    );
    assert.match(lines[2]!.message, /^NOT READY: 2 pairings \(1 ok\): 4 passed, 0 warnings, 1 failed, 1 not determined; exit code 1$/);
  });
});
