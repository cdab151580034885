import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { reachability } from '../../../src/checks/reachability.js';
import { REACH, expectStatus } from '../../helpers/checks.js';
import { makeContext } from '../../helpers/context.js';

describe('reachability check (real loopback)', () => {
  let server: Server;
  let openPort = 0;
  let closedPort = 0;
  before(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('passes when the failover port accepts a connection', async () => {
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', failoverPort: openPort, timeoutMs: 2000 } }));
    expectStatus(out, 'pass');
    assert.ok(out.message.includes(String(openPort)));
    // TCP answered at once: no ping process was started for a verdict it could not change.
    assert.equal(out.details['icmp'], 'not asked: TCP answered');
  });
  it('warns when the host answers but the port is closed', async () => {
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', failoverPort: closedPort, timeoutMs: 2000 } }));
    expectStatus(out, 'warn');
    assert.ok(out.message.includes(String(closedPort)), out.message);
    assert.notEqual(out.message, REACH);
    assert.equal(out.details['icmp'], 'not asked: TCP answered');
    assert.deepEqual(out.evidence, [out.details['tcp']], 'only what was asked is evidence');
  });
  it('defaults to TCP 647 and names the firewall rule Microsoft-Windows-DHCP-Failover-TCP-In', async () => {
    // Nothing listens on 127.0.0.1:647 here (a port below 1024 needs root to listen on).
    const out = await reachability.run(makeContext({ plan: { partner: '127.0.0.1', timeoutMs: 2000 } }));
    expectStatus(out, 'warn');
    assert.ok(out.message.includes('647'), out.message);
    assert.ok(out.fix?.includes('Microsoft-Windows-DHCP-Failover-TCP-In'), out.fix);
  });
  it('is unknown without a partner address', async () => {
    expectStatus(await reachability.run(makeContext({ partner: { input: 'nope', kind: 'name', error: 'ENOTFOUND' } })), 'unknown');
  });
  // The fail path (REACH) needs a host that answers neither ICMP nor TCP: covered by an integration test.
});
