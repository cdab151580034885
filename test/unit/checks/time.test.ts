import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { time } from '../../../src/checks/time.js';
import { TIME_1, TIME_1_5, TIME_HALF, expectFail, expectStatus } from '../../helpers/checks.js';
import { clockAt, facts, makeContext, probeError } from '../../helpers/context.js';

describe('time check', () => {
  it('fails for a 300 s difference with the default 1 minute limit', async () => {
    expectFail(await time.run(makeContext({ partnerClock: clockAt(300_000) })), TIME_1);
  });
  it('fails when the partner is 300 s behind', async () => {
    expectFail(await time.run(makeContext({ localClock: clockAt(150_000), partnerClock: clockAt(-150_000) })), TIME_1);
  });
  it("uses the partner's DhcpMsgSyncDeltaTime: 30 s and a 45 s difference say 0.5 minutes", async () => {
    const out = await time.run(makeContext({ partnerFacts: facts({ maxClockSkewSeconds: 30 }), partnerClock: clockAt(45_000) }));
    expectFail(out, TIME_HALF);
    assert.equal(out.details.limitFrom, 'partner server setting');
  });
  it("uses the smallest of --max-time-skew and both servers' settings", async () => {
    const ctx = (local: number, partner: number, flag: number) =>
      makeContext({
        plan: { maxTimeSkewSeconds: flag },
        local: facts({ maxClockSkewSeconds: local }),
        partnerFacts: facts({ maxClockSkewSeconds: partner }),
        partnerClock: clockAt(95_000),
      });
    const fromLocal = await time.run(ctx(90, 100, 120));
    expectFail(fromLocal, TIME_1_5);
    assert.equal(fromLocal.details.limitFrom, 'local server setting');
    const fromFlag = await time.run(ctx(200, 100, 90));
    expectFail(fromFlag, TIME_1_5);
    assert.equal(fromFlag.details.limitFrom, '--max-time-skew');
    expectStatus(await time.run(ctx(120, 100, 300)), 'pass');
  });
  it('limits only tighten: a Windows pair without DhcpMsgSyncDeltaTime keeps the 1-minute default under --max-time-skew 10m', async () => {
    const out = await time.run(
      makeContext({
        plan: { maxTimeSkewSeconds: 600, maxTimeSkewGiven: '10m' },
        local: facts({ platform: 'windows' }),
        partnerFacts: facts({ platform: 'windows' }),
        partnerClock: clockAt(300_000),
      }),
    );
    expectFail(out, TIME_1);
    assert.match(out.evidence![0]!, /limit 60 s: Windows default, lower than --max-time-skew 10m$/);
  });
  it('passes within the limit', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(30_000, 5) })), 'pass');
  });
  it('warns when within the limit but within the error bound of it', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(59_000, 1500) })), 'warn');
    expectStatus(await time.run(makeContext({ partnerClock: clockAt(61_000, 1500) })), 'warn');
  });
  it('is unknown when a clock cannot be read', async () => {
    expectStatus(await time.run(makeContext({ partnerClock: probeError('NTP 10.0.0.2:123: no answer') })), 'unknown');
    expectStatus(await time.run(makeContext({ localClock: probeError('NTP 10.0.0.1:123: no answer') })), 'unknown');
  });
});
