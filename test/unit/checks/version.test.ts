import { describe, it } from 'node:test';
import { version } from '../../../src/checks/version.js';
import { VERSION, expectFail, expectStatus, ver } from '../../helpers/checks.js';
import { facts, makeContext, probeError } from '../../helpers/context.js';

describe('version check', () => {
  it('fails for Windows 6.1 (2008 R2) with the documented message', async () => {
    expectFail(await version.run(makeContext({ partnerFacts: ver('6.1') })), VERSION);
  });
  for (const v of ['6.2', '6.3', '10.0']) {
    it(`passes for Windows ${v}`, async () => {
      expectStatus(await version.run(makeContext({ partnerFacts: ver(v), local: ver(v) })), 'pass');
      expectStatus(await version.run(makeContext({ partnerFacts: ver(v) })), 'pass');
    });
  }
  it('is unknown without facts', async () => {
    expectStatus(await version.run(makeContext({})), 'unknown');
    expectStatus(await version.run(makeContext({ partnerFacts: facts() })), 'unknown');
    expectStatus(await version.run(makeContext({ partnerFacts: probeError('agent did not answer') })), 'unknown');
  });
  it('warns when the versions differ', async () => {
    expectStatus(await version.run(makeContext({ local: ver('6.3'), partnerFacts: ver('10.0') })), 'warn');
  });
  it('fails for Kea 1.3 and passes for Kea 2.2', async () => {
    expectFail(await version.run(makeContext({ partnerFacts: ver('1.3', 'kea') })), VERSION);
    expectStatus(await version.run(makeContext({ partnerFacts: ver('2.2', 'kea'), local: ver('2.2', 'kea') })), 'pass');
  });
  it('is not a pass when no minimum version is known for the platform', async () => {
    const other = ver('1.0', 'other');
    expectStatus(await version.run(makeContext({ partnerFacts: other, local: other })), 'unknown');
  });
  it('fails when the local server is too old', async () => {
    expectFail(await version.run(makeContext({ local: ver('6.1'), partnerFacts: ver('6.3') })), VERSION);
  });
  it('fails for a Windows server paired with a Kea server', async () => {
    expectFail(await version.run(makeContext({ local: ver('6.3'), partnerFacts: ver('2.2', 'kea') })), VERSION);
    expectFail(await version.run(makeContext({ local: ver('2.2', 'kea'), partnerFacts: ver('10.0') })), VERSION);
  });
});
