import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostileHttp, HUGE_BYTES, type HostileHttp, type HttpBehaviour } from '../helpers/hostile-http.js';
import { assertHostile, runJson, TIMEOUT_ARGS } from '../helpers/hostile-run.js';

// Hostile Kea Control Agents (--partner-source kea:http://127.0.0.2:PORT/), through the built
// CLI. Every check that reads the partner's facts ends `unknown` with the client's reason in its
// details; dns and ip (and, where the bad part is config-get only, version and service) keep
// the statuses they have against an honest agent. Exit 3 within --timeout + 1 s.

const FACT_CHECKS = ['version', 'service', 'scopes'];

const CASES: { behaviour: HttpBehaviour; title: string; affected: string[]; cause: RegExp }[] = [
  { behaviour: 'silent', title: 'accepts and never answers', affected: FACT_CHECKS, cause: /no complete reply within \d+ ms/ },
  { behaviour: 'drip', title: 'drips one byte a second', affected: FACT_CHECKS, cause: /no complete reply within \d+ ms/ },
  {
    behaviour: 'huge-chunked',
    title: 'a 100 MB chunked body (no length): cut off at the 8 MiB cap',
    affected: FACT_CHECKS,
    cause: /reply exceeds the 8388608-byte cap/,
  },
  {
    behaviour: 'huge-declared',
    title: 'a 100 MB body with Content-Length: refused from the header',
    affected: FACT_CHECKS,
    cause: /reply of 104857600 bytes exceeds the 8388608-byte cap/,
  },
  {
    behaviour: 'invalid-json',
    title: 'invalid JSON (an HTML page)',
    affected: FACT_CHECKS,
    cause: /HTTP 200 reply is not JSON \(\d+ bytes, content-type text\/html\)/,
  },
  {
    behaviour: 'result-not-number',
    title: 'JSON of the wrong shape: "result" is a string',
    affected: FACT_CHECKS,
    cause: /reply entry 0 has no numeric \\?"result\\?"/,
  },
  {
    behaviour: 'object-not-list',
    title: 'JSON of the wrong shape: an object where the list of results belongs',
    affected: FACT_CHECKS,
    cause: /reply is an object, expected a list of results/,
  },
  { behaviour: 'http-500', title: 'HTTP 500', affected: FACT_CHECKS, cause: /HTTP 500: internal server error/ },
  // Only config-get is broken: version and service still come from the good replies.
  {
    behaviour: 'arguments-missing',
    title: 'JSON of the wrong shape: config-get result 0 without arguments',
    affected: ['scopes'],
    cause: /kea:http:\/\/127\.0\.0\.2:\d+\/ lists no scopes/,
  },
  {
    behaviour: 'arguments-list',
    title: 'JSON of the wrong shape: config-get arguments is a list, not an object',
    affected: ['scopes'],
    cause: /kea:http:\/\/127\.0\.0\.2:\d+\/ lists no scopes/,
  },
];

describe('hostile Kea Control Agents (--partner-source kea:http://127.0.0.2:PORT/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-hostile-http-'));
  const local = join(dir, 'local-kea.yaml');
  writeFileSync(
    local,
    'platform: kea\nname: server1\nversion: "2.2.0"\nservice: running\nscopes:\n  - { scope: 10.99.0.0/24, range: 10.99.0.100 - 10.99.0.200, subnetId: 1 }\nrelationships: []\n',
  );
  const base = (url: string) => [
    '127.0.0.2',
    '--only',
    'dns,ip,version,service,scopes',
    '--local-source',
    `inventory:${local}`,
    '--partner-source',
    `kea:${url}`,
    ...TIMEOUT_ARGS,
  ];
  const servers: HostileHttp[] = [];
  let baseline: Record<string, string>;

  before(async () => {
    const honest = await startHostileHttp('honest');
    servers.push(honest);
    const r = await runJson(base(honest.url));
    baseline = r.statuses;
    assert.deepEqual(
      { dns: baseline.dns, ip: baseline.ip, version: baseline.version, service: baseline.service, scopesKnown: baseline.scopes !== 'unknown' },
      { dns: 'pass', ip: 'warn', version: 'pass', service: 'pass', scopesKnown: true },
      `the baseline is not what these tests assume: ${JSON.stringify(r.report.checks)}`,
    );
    assert.notEqual(r.run.code, 3);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    test(`${c.title}: ${c.affected.join('/')} unknown with the cause, exit 3, within 3 s`, async () => {
      const server = await startHostileHttp(c.behaviour);
      servers.push(server);
      const r = await runJson(base(server.url));
      assert.ok(server.connections >= 1, 'the hostile agent was never contacted');
      assertHostile(r, { id: c.affected, status: 'unknown', cause: c.cause, code: 3, baseline });
      if (c.behaviour.startsWith('huge')) {
        // Four commands went out at once; together they were cut off long before one 100 MB body.
        assert.ok(server.bytesSent < HUGE_BYTES, `the client read on: ${server.bytesSent} bytes sent`);
      }
    });
  }

  test('a redirect to another host is never followed: unknown with the cause, the other host gets no connection', async () => {
    const other = await startHostileHttp('honest', { host: '127.0.0.3' });
    servers.push(other);
    const server = await startHostileHttp('redirect', { redirectTo: other.url });
    servers.push(server);
    const r = await runJson(base(server.url));
    assertHostile(r, {
      id: FACT_CHECKS,
      status: 'unknown',
      cause: new RegExp(`redirected \\(HTTP 302\\) to host 127\\.0\\.0\\.3:${other.port}; redirects are not followed`),
      code: 3,
      baseline,
    });
    assert.ok(server.commands.length >= 1);
    assert.equal(other.connections, 0, `the redirect target was contacted: ${other.commands.join(', ')}`);
  });

  test('only read-only commands reached the hostile agents', () => {
    const sent = new Set(servers.flatMap((s) => s.commands));
    for (const c of sent) assert.ok(['version-get', 'config-get', 'status-get', 'list-commands', 'ha-heartbeat', '(raw)'].includes(c), `sent ${c}`);
  });
});
