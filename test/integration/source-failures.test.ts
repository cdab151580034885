import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { startHostileHttp, type HostileHttp } from '../helpers/hostile-http.js';
import { runCli } from '../helpers/cli.js';
import { TIMEOUT_ARGS } from '../helpers/hostile-run.js';

// Issue 23, item 7, through the built CLI and its human report: a partner source that was given
// and failed (nothing listens at the Kea URL; an agent that answers every command "not allowed")
// is named by every check that lacks a fact because of it, and no check advises giving a source.

const HUB = 'inventory:examples/inventory/hub.yaml';
const PASSWORD = 'Refused-Sekr1t-4410';

/** A loopback port on 127.0.0.3 that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.3', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The lines of one check in the human report, from its head line to the next check's. */
function block(report: string, id: string): string {
  const lines = report.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\S ${id}\\s`).test(l));
  assert.ok(start >= 0, `no ${id} in:\n${report}`);
  const end = lines.findIndex((l, i) => i > start && /^\S /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** What no check may say when the partner source was given. */
const ADVICE = [/Give a live partner source/, /give --ldap, or a source that tells/, /no source tells whether/, /Give --partner-source/];

describe('a partner source given and failed: the human report names the failure', () => {
  const servers: HostileHttp[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  test('connection refused at the Kea URL: permissions and authorization name it; the fix says to make the source readable', async () => {
    const url = `http://127.0.0.3:${await closedPort()}/`;
    const run = await runCli(['127.0.0.2', '--local-source', HUB, '--partner-source', `kea:${url}`, ...TIMEOUT_ARGS]);
    const out = run.stdout;
    assert.equal(run.code, 1, `${out}\n${run.stderr}`);
    const refused = `partner source: Kea version-get at ${url}: connection refused (nothing listens there)`;
    for (const id of ['permissions', 'authorization', 'service', 'scopes', 'identity', 'relationships']) {
      assert.ok(block(out, id).includes(refused), `${id} does not name the failure:\n${block(out, id)}`);
    }
    assert.match(block(out, 'authorization'), /not determined for the partner server: a source given failed/);
    assert.match(
      out,
      new RegExp(
        `\\d+\\. permissions, relationships, service, scopes, identity: Make the partner source readable: Kea version-get at ${url.replace(/[./]/g, '\\$&')}: connection refused \\(nothing listens there\\)\\. Then run again\\.`,
      ),
    );
    for (const advice of ADVICE) assert.doesNotMatch(out, advice);
  });

  test('an agent refusing every command (HTTP 200, result 1): the refusal is the cause, escaped and with the password masked', async () => {
    const agent = await startHostileHttp('refuse');
    servers.push(agent);
    const run = await runCli(['127.0.0.2', '--local-source', HUB, '--partner-source', `kea:${agent.url}`, '--kea-user', 'admin', ...TIMEOUT_ARGS], {
      env: { KEA_PASSWORD: PASSWORD },
    });
    const out = run.stdout;
    assert.ok(agent.commands.includes('version-get'), 'the agent was never asked');
    assert.equal(run.code, 1, `${out}\n${run.stderr}`);
    const refusal =
      "version-get answered result 1: command 'version-get' not allowed\\x1b]0;owned\\x07\\x1b[2J (Authorization: Basic ***; credentials admin:***)";
    for (const id of ['permissions', 'service', 'scopes', 'identity', 'authorization']) {
      assert.ok(block(out, id).includes(refusal), `${id} does not name the refusal:\n${block(out, id)}`);
    }
    assert.match(
      block(out, 'service'),
      /cause: partner source kea:http:\/\/127\.0\.0\.2:\d+\/ refused: version-get answered result 1: command 'version-get' not allowed/,
    );
    assert.match(
      out,
      /\d+\. permissions, relationships, service, scopes, identity: Let the partner server answer the commands it refused this user \(kea:http:\/\/127\.0\.0\.2:\d+\/: version-get answered result 1/,
    );
    // Escaped, and the secret in neither its plain nor its base64 form.
    assert.ok(!/[\u001b\u0007]/.test(out), 'a raw control character reached the terminal');
    assert.ok(!out.includes(PASSWORD), 'the password was shown');
    assert.ok(!out.includes(Buffer.from(`admin:${PASSWORD}`).toString('base64')), 'the Basic credential was shown');
    for (const advice of ADVICE) assert.doesNotMatch(out, advice);
    // The agent that refused did not prove the user may administer it.
    assert.match(block(out, 'permissions'), /^\? permissions/);
  });
});
