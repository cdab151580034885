import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { omapiOpen, readFailoverState, type OmapiKey } from '../../src/probes/omapi.js';
import { OP } from '../../src/probes/omapi-wire.js';
import { ProbeError } from '../../src/util/errors.js';
import { startHostileOmapi, type HostileOmapi, type OmapiBehaviour } from '../helpers/hostile-omapi.js';

// Hostile OMAPI peers on loopback: each must end in one clear ProbeError within the timeout,
// and the client must have sent nothing but a startup and opens that only look things up.

const TIMEOUT_MS = 600;
/** Scheduling slack on a busy machine; far below a second timeout. */
const SLACK_MS = 400;
const SECRET = Buffer.from('hostile-test-secret-do-not-print');
const KEY: OmapiKey = { name: 'omapi_key', algorithm: 'hmac-md5', secret: SECRET };

const servers: HostileOmapi[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function expectFailure(behaviour: OmapiBehaviour, code: string, words: RegExp, key?: OmapiKey): Promise<HostileOmapi> {
  const s = await startHostileOmapi(behaviour);
  servers.push(s);
  const started = performance.now();
  const err = await readFailoverState(s.host, s.port, { timeoutMs: TIMEOUT_MS, peerName: 'dhcp-failover', ...(key ? { key } : {}) }).then(
    (v) => assert.fail(`expected ${code}, got ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  const elapsed = performance.now() - started;
  assert.ok(err instanceof ProbeError, String(err));
  assert.equal(err.code, code, err.message);
  assert.match(err.message, words);
  assert.match(err.message, new RegExp(`^OMAPI 127\\.0\\.0\\.1:${s.port}: `));
  assert.ok(!err.message.includes('\n'), 'one line');
  assert.ok(elapsed < TIMEOUT_MS + SLACK_MS, `${behaviour} took ${elapsed.toFixed(0)} ms`);
  for (const secretForm of [SECRET.toString('utf8'), SECRET.toString('base64'), SECRET.toString('hex')]) assert.ok(!err.message.includes(secretForm));
  for (const m of s.received) {
    assert.equal(m.op, OP.open);
    assert.deepEqual([...m.message.keys()], ['type']);
  }
  assert.equal(s.undecoded(), 0, 'everything the client sent decodes');
  return s;
}

describe('hostile OMAPI peers', () => {
  test('silent after accept: bounded by timeoutMs, names the wait', async () => {
    const s = await expectFailure('silent', 'timeout', /no answer within 600 ms \(waiting for the server's OMAPI startup\)/);
    assert.equal(s.received.length, 0);
  });

  test('a startup, then silence: the same one budget', async () => {
    const s = await expectFailure('startup-only', 'timeout', /waiting for the object/);
    assert.equal(s.received.length, 1);
  });

  test('an SSH banner instead of a startup is not OMAPI, and nothing beyond our startup is sent', async () => {
    const s = await expectFailure('garbage', 'garbage', /not an OMAPI server: it began with 5353482d322e302d/);
    assert.equal(s.received.length, 0);
  });

  test('another protocol version', async () => {
    await expectFailure('wrong-version', 'version', /protocol version 101, this client 100/);
  });

  test('a value length of 2^31 is refused at once, not waited for', async () => {
    const started = performance.now();
    await expectFailure('huge-value', 'too-large', /longer than 65536 bytes/);
    assert.ok(performance.now() - started < TIMEOUT_MS / 2, 'refused on reading the length, not at the timeout');
  });

  test('an endless message is cut at the size cap', async () => {
    await expectFailure('flood', 'too-large', /longer than 65536 bytes/);
  });

  test('closed in the middle of a message', async () => {
    await expectFailure('close-mid-message', 'closed', /closed the connection while we waited for the object \(12 bytes of a message unread\)/);
  });

  test('reset on the open', async () => {
    await expectFailure('reset', 'reset', /connection reset/);
  });

  test('a reply to another message is a protocol error', async () => {
    await expectFailure('wrong-rid', 'garbage', /a reply to message \d+, expected \d+/);
  });

  test('a reply whose signature does not verify is refused, even though the values look fine', async () => {
    const s = await expectFailure('bad-signature', 'bad-signature', /signature does not verify/, KEY);
    assert.deepEqual(
      s.received.map((m) => m.message.get('type')?.toString()),
      ['authenticator', 'failover-state'],
    );
    const [auth, open] = s.received;
    assert.equal(auth?.authid, 0, 'the key is opened unsigned');
    assert.deepEqual(Object.fromEntries([...(auth?.object ?? new Map())].map(([k, v]) => [k, v.toString()])), {
      name: 'omapi_key',
      algorithm: 'hmac-md5.SIG-ALG.REG.INT.',
    });
    assert.equal(open?.authid, 42, 'the open carries the handle the key was given');
    assert.equal(open?.signature.length, 16);
  });

  test('DHCP_R_INVALIDKEY: key refused, and the secret is nowhere in the error', async () => {
    await expectFailure('invalid-key', 'invalid-key', /refused the key "omapi_key" \(wrong secret\)/, KEY);
  });

  test('nothing listening: refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    await assert.rejects(omapiOpen('127.0.0.1', port, { timeoutMs: TIMEOUT_MS, object: { type: 'failover-state', name: 'x' } }), (e: unknown) => {
      assert.ok(e instanceof ProbeError);
      assert.equal(e.code, 'refused');
      return true;
    });
  });

  test('an abort signal ends the wait at once', async () => {
    const s = await startHostileOmapi('silent');
    servers.push(s);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = performance.now();
    await assert.rejects(omapiOpen(s.host, s.port, { timeoutMs: 5000, signal: ac.signal, object: { type: 'failover-state', name: 'x' } }), (e: unknown) => {
      assert.ok(e instanceof ProbeError);
      assert.equal(e.code, 'aborted');
      return true;
    });
    assert.ok(performance.now() - started < 1000);
  });
});
