import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RELATIONSHIP_NAME, judgeWindowsPairing } from '../../../../src/platforms/windows/pairing.js';
import { versionOf } from '../../../../src/sources/windows-common.js';
import { facts } from '../../../helpers/context.js';

const bootp = { network: (10 << 24) + (30 << 8), prefix: 24, type: 'Both' };

describe('Windows pairing rule (peers)', () => {
  it('does not apply without a relationship name or a BOOTP scope', () => {
    assert.match(judgeWindowsPairing({ local: facts(), partner: facts() }).notApplicable ?? '', /--relationship-name/);
  });
  it(`takes a name of ${MAX_RELATIONSHIP_NAME} characters free on both servers, refuses a longer one or one in use (any letter case)`, () => {
    const pair = (name: string) => ({
      relationshipName: name,
      local: facts({ relationships: [{ name: 'dhcp1-dhcp3', scopeIds: [] }] }),
      partner: facts({ relationships: [] }),
    });
    assert.deepEqual(judgeWindowsPairing(pair('x'.repeat(126))).failures, []);
    assert.match(judgeWindowsPairing(pair('x'.repeat(127))).failures[0]!, /127 characters long; Windows allows at most 126/);
    assert.match(judgeWindowsPairing(pair('DHCP1-dhcp3')).failures[0]!, /the local server already has a relationship named "dhcp1-dhcp3"/);
  });
  it('warns when a source does not list relationships', () => {
    assert.match(
      judgeWindowsPairing({ relationshipName: 'a', local: facts({ relationships: [] }), partner: facts() }).warnings[0]!,
      /partner source does not list its relationships/,
    );
  });
  it('BOOTP scopes: refused on Windows Server 2012, a warning where conflict detection is off, fine where it is on', () => {
    const with2012 = judgeWindowsPairing({ local: facts({ scopes: [bootp], version: versionOf(6, 2) }), partner: facts({ version: versionOf(10, 0) }) });
    assert.match(
      with2012.failures[0]!,
      /cannot be in failover on Windows Server 2012 \(the local server\): 10\.0\.30\.0\/24 \(Both\) \(ERROR_DHCP_FO_BOOT_NOT_SUPPORTED, 20131\)/,
    );
    const off = judgeWindowsPairing({
      local: facts({ scopes: [bootp], windows: { conflictDetectionAttempts: 2 } }),
      partner: facts({ windows: { conflictDetectionAttempts: 0 } }),
    });
    assert.deepEqual(off.failures, []);
    assert.match(off.warnings[0]!, /conflict detection is off on the partner server/);
    const on = judgeWindowsPairing({
      local: facts({ scopes: [bootp], windows: { conflictDetectionAttempts: 1 } }),
      partner: facts({ windows: { conflictDetectionAttempts: 1 } }),
    });
    assert.deepEqual([on.failures, on.warnings], [[], []]);
  });
});
