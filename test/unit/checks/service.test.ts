import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../../../src/checks/service.js';
import { SERVICE, expectFail, expectStatus } from '../../helpers/checks.js';
import { facts, makeContext } from '../../helpers/context.js';

describe('service check', () => {
  const state = (s: 'running' | 'paused' | 'stopped' | 'other', raw: string) => facts({ service: { state: s, raw } });
  it('passes when running', async () => expectStatus(await service.run(makeContext({ partnerFacts: state('running', 'Running') })), 'pass'));
  it('passes when paused', async () => expectStatus(await service.run(makeContext({ partnerFacts: state('paused', 'Paused') })), 'pass'));
  it('fails with the documented message when stopped', async () => {
    expectFail(await service.run(makeContext({ partnerFacts: state('stopped', 'Stopped') })), SERVICE);
  });
  it('fails for other states (StopPending)', async () => {
    const out = await service.run(makeContext({ partnerFacts: state('other', 'StopPending') }));
    expectFail(out, SERVICE);
    assert.equal(out.details.state, 'StopPending');
  });
  it('is unknown without a state', async () => {
    expectStatus(await service.run(makeContext({ partnerFacts: facts() })), 'unknown');
    expectStatus(await service.run(makeContext({})), 'unknown');
  });
});
