import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nagios } from '../../../src/report/nagios.js';
import { RELATIONSHIP_DETAILS, TIME_DETAILS, report, result, tree } from '../../helpers/report-fixture.js';

const nagiosReporter = (r: Parameters<typeof tree>[0], o: typeof opts) => nagios.render(tree(r), o);
const nagiosExitCode = (r: Parameters<typeof tree>[0]) => nagios.exitCode!(tree(r));

const opts = { color: false, verbose: false };
const lines = (text: string) => text.trimEnd().split('\n');

describe('nagios reporter', () => {
  it('CRITICAL names every failed and undetermined check, worst first in the long text', () => {
    const r = report([
      result('dns', 'pass', 'resolves'),
      result('time', 'fail', 'The time difference is more than 1 minute.', { details: TIME_DETAILS }),
      result('version', 'unknown', 'not known'),
      result('scopes', 'fail', 'Scopes exist.\n10.0.20.0/24 | overlaps'),
      result('reachability', 'warn', 'port closed'),
      result('peers', 'skip', 'not selected'),
    ]);
    const [status, ...long] = lines(nagiosReporter(r, opts));
    assert.match(status!, /^DHCP FAILOVER CRITICAL - dhcp2\.lab\.test: failed: time, scopes; undetermined: version \| /);
    assert.deepEqual(long, [
      '[CRITICAL] time: The time difference is more than 1 minute.',
      '[CRITICAL] scopes: Scopes exist.',
      '[UNKNOWN] version: not known',
      '[WARNING] reachability: port closed',
      '[OK] dns: resolves',
    ]);
    assert.equal(nagiosExitCode(r), 2);
  });
  it('perfdata: clock difference with warn/crit, relationships count/max, failures, duration', () => {
    const r = report([
      result('time', 'pass', 'in sync', { details: TIME_DETAILS }),
      result('relationships', 'pass', 'room', { details: RELATIONSHIP_DETAILS }),
    ]);
    const perf = lines(nagiosReporter(r, opts))[0]!.split(' | ')[1];
    assert.equal(
      perf,
      "'clock_difference'=12.346s;30;60;0; 'relationships_local'=3;;31;0;31 'relationships_partner'=0;;;0; 'checks_failed'=0;;1;0;2 'duration'=1.234s;;;0;",
    );
  });
  it('no clock reading, no clock perfdata (never a made-up 0)', () => {
    const out = nagiosReporter(report([result('time', 'unknown', 'a clock could not be read', { details: { partner: 'refused' } })]), opts);
    assert.doesNotMatch(out, /clock_difference/);
    assert.match(out, /^DHCP FAILOVER UNKNOWN - dhcp2\.lab\.test: undetermined: time \| /);
  });
  it('exit codes are the plugin states: OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3, interrupted UNKNOWN', () => {
    assert.equal(nagiosExitCode(report([result('dns', 'pass', 'x'), result('peers', 'skip', 'x')])), 0);
    assert.equal(nagiosExitCode(report([result('dns', 'pass', 'x'), result('ip', 'warn', 'x')])), 1);
    assert.equal(nagiosExitCode(report([result('ip', 'warn', 'x'), result('time', 'fail', 'x'), result('scopes', 'unknown', 'x')])), 2);
    assert.equal(nagiosExitCode(report([result('ip', 'warn', 'x'), result('scopes', 'unknown', 'x')])), 3);
    const interrupted = report([result('dns', 'pass', 'x')], 130);
    assert.equal(nagiosExitCode(interrupted), 3);
    assert.match(nagiosReporter(interrupted, opts), /^DHCP FAILOVER UNKNOWN - dhcp2\.lab\.test: interrupted \(exit 130\) \| /);
    assert.match(nagiosReporter(report([result('dns', 'pass', 'x')]), opts), /^DHCP FAILOVER OK - dhcp2\.lab\.test: 1 checks passed \| /);
    assert.match(nagiosReporter(report([result('ip', 'warn', 'x')]), opts), /^DHCP FAILOVER WARNING - dhcp2\.lab\.test: warnings: ip \| /);
  });
  it('a | or newline from a message or partner never opens perfdata or a new line', () => {
    const r = report([result('scopes', 'fail', 'a | b\nsecond line | c')]);
    r.partner.input = 'weird|name';
    const out = lines(nagiosReporter(r, opts));
    assert.equal(out[0]!.split('|').length, 2, 'exactly one | on the status line');
    assert.equal(out[1], '[CRITICAL] scopes: a / b');
    assert.equal(out.length, 2);
  });
});
