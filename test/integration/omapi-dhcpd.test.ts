import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pairConf, startDhcpdPair, SIDES, type DhcpdPair } from '../helpers/dhcpd-pair.js';
import type { DriverState } from '../helpers/omapi-driver.js';

// The OMAPI client against a real ISC dhcpd 4.4 failover pair (test/helpers/dhcpd-pair.ts),
// run inside the pair's network namespace. A pair that does not start fails the suite.

const P = { host: SIDES.primary.address, port: SIDES.primary.omapiPort };
const S = { host: SIDES.secondary.address, port: SIDES.secondary.omapiPort };

function ok(r: DriverState | undefined): Extract<DriverState, { ok: true }> {
  assert.ok(r, 'an answer');
  assert.ok(r.ok, `expected a state, got ${r.ok ? '' : `${r.code}: ${r.message}`}`);
  return r;
}

function failed(r: DriverState | undefined, code: string): string {
  assert.ok(r, 'an answer');
  assert.ok(!r.ok, `expected ${code}, got a state ${JSON.stringify(r.ok && r.state)}`);
  assert.equal(r.code, code, r.message);
  assert.ok(!r.message.includes('\n'));
  return r.message;
}

/** The failover-state object of dhcpd 4.4.3 as it arrives: every name with its size. */
const VALUE_SIZES = {
  name: 13, // "dhcp-failover", no NUL
  'partner-address': 8, // a pointer from dhcpd's memory (sizeof an option_cache *), not an address
  'partner-port': 4,
  'local-address': 8,
  'local-port': 4,
  'max-outstanding-updates': 4,
  mclt: 4,
  'load-balance-max-secs': 4,
  'load-balance-hba': 32,
  'partner-state': 4,
  'local-state': 4,
  'partner-stos': 4,
  'local-stos': 4,
  hierarchy: 4,
  'last-packet-sent': 4,
  'last-timestamp-received': 4,
  skew: 4,
  'max-response-delay': 4,
  'cur-unacked-updates': 4,
};

describe('OMAPI against a real dhcpd failover pair (no key)', () => {
  let pair: DhcpdPair;
  before(async () => {
    pair = await startDhcpdPair();
    const ms = await pair.waitNormal();
    process.stderr.write(`dhcpd pair: both normal ${ms.toFixed(0)} ms after spawn\n`);
  });
  after(async () => {
    await pair?.stopAll();
  });

  test('both sides read normal/normal, primary/secondary, mclt 600, the configured ports and delays', async () => {
    const a = await pair.omapi({ targets: [P, S] });
    const [p, s] = [ok(a.results[0]), ok(a.results[1])];
    for (const [r, hierarchy, local, partner] of [
      [p, 'primary', 647, 847],
      [s, 'secondary', 847, 647],
    ] as const) {
      assert.equal(r.state.localStateName, 'normal');
      assert.equal(r.state.partnerStateName, 'normal');
      assert.equal(r.state.hierarchy, hierarchy);
      assert.equal(r.state.mclt, 600, 'the secondary learns mclt from the primary');
      assert.equal(r.state.localPort, local);
      assert.equal(r.state.partnerPort, partner);
      assert.equal(r.state.maxResponseDelay, 60);
      assert.equal(r.state.maxOutstandingUpdates, 10);
      assert.equal(r.state.loadBalanceMaxSecs, 3);
      assert.equal(r.state.skew, 0);
      assert.equal(r.state.authenticated, false);
      assert.deepEqual(Object.fromEntries(Object.entries(r.raw).map(([k, hex]) => [k, hex.length / 2])), VALUE_SIZES);
    }
  });

  test('a name that is not a failover peer: not-found', async () => {
    const a = await pair.omapi({ targets: [P], peerName: 'no-such-peer' });
    assert.match(failed(a.results[0], 'not-found'), /no failover-state object named "no-such-peer".*no failover peer of that name/);
  });

  test('read-only: dhcpd logs nothing and keeps its lease file while we read (and fail to read)', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const logs = [pair.primary.log(), pair.secondary.log()];
    const leases = [readFileSync(pair.primary.leasesPath, 'utf8'), readFileSync(pair.secondary.leasesPath, 'utf8')];
    for (let i = 0; i < 5; i++) {
      await pair.omapi({ targets: [P, S] });
      await pair.omapi({ targets: [P, S], peerName: 'no-such-peer' });
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(pair.primary.log().slice(logs[0]?.length), '', 'no new primary log line');
    assert.equal(pair.secondary.log().slice(logs[1]?.length), '', 'no new secondary log line');
    assert.equal(readFileSync(pair.primary.leasesPath, 'utf8'), leases[0]);
    assert.equal(readFileSync(pair.secondary.leasesPath, 'utf8'), leases[1]);
    // and the states are what they were
    const a = await pair.omapi({ targets: [P, S] });
    for (const r of a.results) assert.equal(ok(r).state.localStateName, 'normal');
  });

  test('the partner stopped: the primary moves to communications-interrupted, the stopped side refuses', async () => {
    const before = ok((await pair.omapi({ targets: [P] })).results[0]);
    const polling = pair.omapi({ targets: [P], poll: { localState: 'communications-interrupted', withinMs: 90_000, everyMs: 50 } }, 100_000);
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    await pair.stop('secondary');
    const a = await polling;
    assert.ok(a.matchedAtEpochMs !== undefined, `never communications-interrupted: ${JSON.stringify(a.results)}`);
    const took = a.matchedAtEpochMs - killedAt;
    process.stderr.write(`primary read communications-interrupted ${took} ms after SIGTERM to the secondary\n`);
    const now = ok(a.results[0]);
    assert.equal(now.state.partnerStateName, 'normal', "dhcpd keeps the partner's last known state");
    assert.ok(Number(now.state.localStos) >= Number(before.state.localStos), 'a new start time of state');
    assert.match(pair.primary.log(), /I move from normal to communications-interrupted/);
    assert.ok(!pair.secondary.running());
    const gone = await pair.omapi({ targets: [S] });
    assert.match(failed(gone.results[0], 'refused'), /connection refused/);
  });
});

describe('OMAPI against a real dhcpd failover pair with an OMAPI key', () => {
  const secret = Buffer.from('integration-secret-' + Math.random().toString(36).slice(2));
  const key = { name: 'omapi_key', algorithm: 'hmac-md5', secretBase64: secret.toString('base64') };
  let pair: DhcpdPair;
  const moves = (d: { log(): string }) => (d.log().match(/move from|moves from/g) ?? []).length;
  let movesAtNormal: number[] = [];
  before(async () => {
    pair = await startDhcpdPair({ key: { name: key.name, secret } });
    await pair.waitNormal();
    // Both have logged "Both servers normal" once waitNormal returns; let the last lines land.
    await new Promise((r) => setTimeout(r, 300));
    movesAtNormal = [moves(pair.primary), moves(pair.secondary)];
  });
  after(async () => {
    await pair?.stopAll();
  });
  const noSecret = (output: string) => {
    for (const form of [secret.toString('utf8'), secret.toString('hex'), secret.toString('base64')])
      assert.ok(!output.includes(form), 'the secret is not in the output');
  };

  test('the right key works on both sides, and the replies are verified', async () => {
    const a = await pair.omapi({ targets: [P, S], key });
    for (const r of a.results) {
      const s = ok(r);
      assert.equal(s.state.authenticated, true);
      assert.equal(s.state.localStateName, 'normal');
    }
  });

  test('a wrong secret: invalid-key (DHCP_R_INVALIDKEY), without the secret in any output', async () => {
    const wrong = { ...key, secretBase64: Buffer.from('not-the-secret').toString('base64') };
    const a = await pair.omapi({ targets: [P, S], key: wrong });
    for (const r of a.results) assert.match(failed(r, 'invalid-key'), /refused the key "omapi_key" \(wrong secret\)/);
    noSecret(a.output);
    assert.ok(!a.output.includes('bm90LXRoZS1zZWNyZXQ'), 'nor the wrong one');
  });

  test('no key: key-required', async () => {
    const a = await pair.omapi({ targets: [P] });
    assert.match(failed(a.results[0], 'key-required'), /requires an OMAPI key/);
  });

  test('signed in, a name that is not a failover peer: not-found (a signed status, verified)', async () => {
    const a = await pair.omapi({ targets: [S], key, peerName: 'no-such-peer' });
    assert.match(failed(a.results[0], 'not-found'), /no failover-state object named "no-such-peer"/);
  });

  test('a key name the server does not have: invalid-key', async () => {
    const a = await pair.omapi({ targets: [P], key: { ...key, name: 'other_key' } });
    assert.match(failed(a.results[0], 'invalid-key'), /has no key "other_key"/);
    noSecret(a.output);
  });

  test('the dhcpd logs never show the secret, and no state moved while we read', () => {
    for (const d of [pair.primary, pair.secondary]) noSecret(d.log());
    assert.ok(
      movesAtNormal.every((n) => n > 0),
      'the logs do record state moves',
    );
    assert.deepEqual([moves(pair.primary), moves(pair.secondary)], movesAtNormal);
  });
});

describe('the dhcpd pair harness', () => {
  test('a daemon that refuses its conf fails the wait at once, with its log', async () => {
    const pair = await startDhcpdPair({ conf: { primary: pairConf('primary').replace('  mclt 600;\n', '') } });
    try {
      const started = performance.now();
      await assert.rejects(pair.waitNormal(20_000), /dhcpd \(primary\) exited \(1\)[\s\S]*primary failover server must have mclt/);
      assert.ok(performance.now() - started < 5000, 'not at the end of the 20 s bound');
      assert.ok(pair.secondary.running(), 'the other daemon is untouched');
    } finally {
      await pair.stopAll();
    }
    assert.ok(!pair.secondary.running());
  });
});
