import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HEADER_SIZE,
  OP,
  WireError,
  decodeMessage,
  encodeMessage,
  makeSigner,
  normaliseAlgorithm,
  readUint32,
  signedPart,
  startupBytes,
  type Message,
} from '../../../src/probes/omapi-wire.js';
import { readOnlyViolation } from '../../../src/probes/omapi.js';
import { FAILOVER_STATES, failoverStateFrom } from '../../../src/probes/omapi-failover-state.js';

const LIMITS = { maxMessageBytes: 64 * 1024, maxAuthLen: 64, headerSize: HEADER_SIZE };

const open = (over: Partial<Message> = {}): Message => ({
  authid: 7,
  op: OP.open,
  handle: 0,
  tid: 0x01020304,
  rid: 0,
  message: new Map([['type', Buffer.from('failover-state')]]),
  object: new Map([['name', Buffer.from('dhcp-failover')]]),
  ...over,
});

// Spelled out byte by byte from omapip/protocol.c's layout, not produced by the encoder.
const SIGNED_HEX = (authlen: string) =>
  authlen +
  '00000001' + // op open
  '00000000' + // handle
  '01020304' + // tid
  '00000000' + // rid
  '0004' +
  '74797065' +
  '0000000e' +
  Buffer.from('failover-state').toString('hex') +
  '0000' +
  '0004' +
  '6e616d65' +
  '0000000d' +
  Buffer.from('dhcp-failover').toString('hex') +
  '0000';
// `openssl dgst -md5 -mac HMAC -macopt hexkey:$(printf omapi-test-secret | xxd -p)` over SIGNED_HEX('00000010')
const MD5_VECTOR = 'df3429bf238110fd2c93e14f461301f1';
// the same with -sha256 over SIGNED_HEX('00000020')
const SHA256_VECTOR = '73a1d3da8eb4e603864e9933d20e1feb1333a0ad404f45e184a2f25db490ec75';
const SECRET = Buffer.from('omapi-test-secret');

describe('OMAPI wire format', () => {
  test('startup: protocol version 100, header size 24', () => {
    assert.equal(startupBytes().toString('hex'), '00000064' + '00000018');
  });

  test('an unsigned open: authid, authlen 0, the header, two lists each ended by a zero name', () => {
    assert.equal(encodeMessage(open({ authid: 0 })).toString('hex'), '00000000' + SIGNED_HEX('00000000'));
  });

  test('HMAC-MD5 covers authlen..end of the object values, not authid, and is appended', () => {
    const signer = makeSigner('hmac-md5', SECRET);
    assert.ok(signer);
    assert.equal(signer.length, 16);
    assert.equal(signedPart(open(), 16).toString('hex'), SIGNED_HEX('00000010'));
    assert.equal(encodeMessage(open(), signer).toString('hex'), '00000007' + SIGNED_HEX('00000010') + MD5_VECTOR);
    // authid is outside the signature: another handle, the same signature
    assert.ok(
      encodeMessage(open({ authid: 99 }), signer)
        .toString('hex')
        .endsWith(MD5_VECTOR),
    );
  });

  test('HMAC-SHA256 under its dhcpd name', () => {
    const signer = makeSigner('HMAC-SHA256.SIG-ALG.REG.INT.', SECRET);
    assert.ok(signer);
    assert.equal(encodeMessage(open(), signer).toString('hex'), '00000007' + SIGNED_HEX('00000020') + SHA256_VECTOR);
  });

  test('algorithm names as dhcpd normalises them; unknown ones are refused', () => {
    assert.equal(normaliseAlgorithm('hmac-md5'), 'hmac-md5.SIG-ALG.REG.INT.');
    assert.equal(normaliseAlgorithm('HMAC-MD5.SIG-ALG.REG.INT'), 'HMAC-MD5.SIG-ALG.REG.INT.');
    assert.equal(makeSigner('hmac-md4', SECRET), undefined);
    assert.equal(makeSigner('rsa', SECRET), undefined);
  });

  test('decode round-trips, with the signed bytes and signature separated', () => {
    const signer = makeSigner('hmac-md5', SECRET);
    const bytes = encodeMessage(open(), signer);
    const m = decodeMessage(Buffer.concat([bytes, Buffer.from('next')]), LIMITS);
    assert.ok(m);
    assert.equal(m.length, bytes.length);
    assert.deepEqual([m.authid, m.op, m.handle, m.tid, m.rid], [7, 1, 0, 0x01020304, 0]);
    assert.equal(m.message.get('type')?.toString(), 'failover-state');
    assert.equal(m.object.get('name')?.toString(), 'dhcp-failover');
    assert.equal(m.signature.toString('hex'), MD5_VECTOR);
    assert.equal(m.signed.toString('hex'), SIGNED_HEX('00000010'));
  });

  test('every strict prefix is incomplete, never an error or a message', () => {
    const bytes = encodeMessage(open(), makeSigner('hmac-md5', SECRET));
    for (let n = 0; n < bytes.length; n++) assert.equal(decodeMessage(bytes.subarray(0, n), LIMITS), undefined, `prefix ${n}`);
  });

  test('a zero-length value is allowed', () => {
    const m = decodeMessage(encodeMessage(open({ object: new Map([['empty', Buffer.alloc(0)]]) })), LIMITS);
    assert.equal(m?.object.get('empty')?.length, 0);
  });

  const header = (authlen = 0, op: number = OP.update) => {
    const b = Buffer.alloc(HEADER_SIZE);
    b.writeUInt32BE(authlen, 4);
    b.writeUInt32BE(op, 8);
    return b;
  };

  test('a value length beyond the cap fails as soon as the length is read', () => {
    const bytes = Buffer.concat([header(), Buffer.from('0000' + '0004' + '6e616d65' + '80000000', 'hex')]);
    assert.throws(
      () => decodeMessage(bytes, LIMITS),
      (e: unknown) => e instanceof WireError && e.tooLarge && /longer than 65536/.test(e.message),
    );
  });

  test('a name length that overruns the cap fails at once too', () => {
    const small = { ...LIMITS, maxMessageBytes: 100 };
    const bytes = Buffer.concat([header(), Buffer.from('ffff', 'hex')]);
    assert.throws(
      () => decodeMessage(bytes, small),
      (e: unknown) => e instanceof WireError && e.tooLarge,
    );
  });

  test('an oversized signature, an unknown op and a repeated name are garbage', () => {
    assert.throws(() => decodeMessage(header(65), LIMITS), /signature of 65 bytes/);
    assert.throws(() => decodeMessage(header(0, 77), LIMITS), /unknown op 77/);
    const twice = Buffer.concat([header(), Buffer.from('0001' + '61' + '00000000' + '0001' + '61' + '00000000' + '0000' + '0000', 'hex')]);
    assert.throws(() => decodeMessage(twice, LIMITS), /twice/);
  });

  test('readUint32 only reads 4-byte values', () => {
    assert.equal(readUint32(Buffer.from('00000258', 'hex')), 600);
    assert.equal(readUint32(Buffer.from('0258', 'hex')), undefined);
    assert.equal(readUint32(undefined), undefined);
  });
});

describe('the read-only allow-list', () => {
  test('a startup and a plain open (a lookup) pass', () => {
    assert.equal(readOnlyViolation({ kind: 'startup' }), undefined);
    assert.equal(readOnlyViolation({ kind: 'message', message: open() }), undefined);
    assert.equal(readOnlyViolation({ kind: 'message', message: open({ message: new Map([['type', Buffer.from('authenticator')]]) }) }), undefined);
  });

  test('every other op is refused', () => {
    for (const op of [OP.refresh, OP.update, OP.notify, OP.status, OP.delete, 0, 99]) {
      assert.match(readOnlyViolation({ kind: 'message', message: open({ op }) }) ?? '', /is not open/, `op ${op}`);
    }
  });

  test('create, update and exclusive (or anything else beside type) are refused', () => {
    for (const flag of ['create', 'update', 'exclusive', 'notify-object', 'handle']) {
      const message = new Map([
        ['type', Buffer.from('failover-state')],
        [flag, Buffer.from('00000001', 'hex')],
      ]);
      assert.equal(readOnlyViolation({ kind: 'message', message: open({ message }) }), `message value "${flag}"`);
    }
  });

  test('an open on a handle, as a reply, or without a type is refused', () => {
    assert.ok(readOnlyViolation({ kind: 'message', message: open({ handle: 5 }) }));
    assert.ok(readOnlyViolation({ kind: 'message', message: open({ rid: 5 }) }));
    assert.ok(readOnlyViolation({ kind: 'message', message: open({ message: new Map() }) }));
  });
});

describe('failover-state values', () => {
  // What dhcpd 4.4.3-P1 sent for the primary of a healthy pair (test/helpers/dhcpd-pair.ts).
  const PRIMARY: Record<string, string> = {
    name: '646863702d6661696c6f766572',
    'partner-address': '206c8052ea550000',
    'partner-port': '0000034f',
    'local-address': '20917c52ea550000',
    'local-port': '00000287',
    'max-outstanding-updates': '0000000a',
    mclt: '00000258',
    'load-balance-max-secs': '00000003',
    'load-balance-hba': 'ffffffffffffffffffffffffffffffff00000000000000000000000000000000',
    'partner-state': '00000002',
    'local-state': '00000002',
    'partner-stos': '6b0f172b',
    'local-stos': '6b0f172b',
    hierarchy: '00000000',
    'last-packet-sent': '00000000',
    'last-timestamp-received': '00000000',
    skew: '00000000',
    'max-response-delay': '0000003c',
    'cur-unacked-updates': '00000000',
  };
  const values = (over: Record<string, string> = {}) => Object.fromEntries(Object.entries({ ...PRIMARY, ...over }).map(([k, v]) => [k, Buffer.from(v, 'hex')]));

  test('the typed view of a real primary', () => {
    const s = failoverStateFrom(values(), 'dhcp-failover');
    assert.ok(s);
    assert.deepEqual(
      [
        s.name,
        s.localStateName,
        s.partnerStateName,
        s.hierarchy,
        s.mclt,
        s.loadBalanceMaxSecs,
        s.maxResponseDelay,
        s.localPort,
        s.partnerPort,
        s.maxOutstandingUpdates,
        s.skew,
        s.hasLoadBalanceHba,
      ],
      ['dhcp-failover', 'normal', 'normal', 'primary', 600, 3, 60, 647, 847, 10, 0, true],
    );
  });

  test('state numbers of includes/failover.h, and unknown ones stay numbers', () => {
    const s = failoverStateFrom(values({ 'local-state': '00000003', 'partner-state': '000000fe', hierarchy: '00000001' }), 'p');
    assert.equal(s?.localStateName, 'communications-interrupted');
    assert.equal(s?.partnerStateName, 'recover-wait');
    assert.equal(s?.hierarchy, 'secondary');
    const odd = failoverStateFrom(values({ 'local-state': '00000063', hierarchy: '00000007' }), 'p');
    assert.equal(odd?.localState, 99);
    assert.equal(odd?.localStateName, undefined);
    assert.equal(odd?.hierarchy, undefined);
    assert.equal(Object.keys(FAILOVER_STATES).length, 13);
  });

  test('not a failover-state without both states as 4-byte integers', () => {
    assert.equal(failoverStateFrom(values({ 'local-state': '02' }), 'p'), undefined);
    const { 'partner-state': _, ...rest } = values();
    assert.equal(failoverStateFrom(rest, 'p'), undefined);
  });
});
