import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { preflight, InputError } from '../../src/index.js';

// The library: resolves to the --format json document, never prints or exits, names bad options,
// and stops on its AbortSignal. Runs on loopback only.

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const OPTIONS = {
  partner: '127.0.0.2',
  localSource: `windows-json:${examples}local.json`,
  partnerSource: `windows-json:${examples}partner.json`,
  timeout: '2s',
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected a rejection');
}

describe('preflight()', () => {
  let silent: Socket;
  let silentPort = 0;
  before(async () => {
    // An NTP endpoint that never answers: the run would wait for --timeout unless aborted.
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentPort = silent.address().port;
  });
  after(() => silent.close());

  it('resolves to the JSON report of the run, printing nothing and leaving the exit code alone', async () => {
    // Text only: the test runner itself speaks to its parent in binary frames on stdout.
    const writes: string[] = [];
    const [out, err] = [process.stdout.write, process.stderr.write];
    const spy = (real: typeof process.stdout.write) =>
      ((chunk: unknown, ...rest: unknown[]) =>
        typeof chunk === 'string' ? (writes.push(chunk), true) : (real as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
    process.stdout.write = spy(out.bind(process.stdout));
    process.stderr.write = spy(err.bind(process.stderr));
    let report: Awaited<ReturnType<typeof preflight>> | undefined;
    try {
      report = await preflight(OPTIONS);
    } finally {
      [process.stdout.write, process.stderr.write] = [out, err];
    }
    assert.deepEqual(writes, []);
    assert.equal(process.exitCode, undefined);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.exitCode, 1);
    assert.equal(report.partner.input, '127.0.0.2');
    assert.equal(report.checks.find((c) => c.id === 'scopes')?.status, 'fail');
    assert.equal(report.checks.find((c) => c.id === 'permissions')?.status, 'fail');
    assert.equal(Object.getPrototypeOf(report), Object.prototype, 'plain data, as JSON.parse gives it');
  });

  it('rejects bad options with an InputError naming the key and the value', async () => {
    const cases: [unknown, string][] = [
      [{ ...OPTIONS, maxTimeSkw: '1m' }, 'preflight: maxTimeSkw: unknown key (did you mean maxTimeSkew?)'],
      [{ ...OPTIONS, timeout: '5 fortnights' }, 'preflight: timeout: invalid duration "5 fortnights"'],
      [{ ...OPTIONS, failoverPort: 70000 }, 'preflight: failoverPort'],
      [{ ...OPTIONS, partner: 'dhcp2:647' }, 'preflight: partner: "dhcp2:647" names a port'],
      [{ ...OPTIONS, local: '' }, 'preflight: local'],
      [{ ...OPTIONS, only: ['dns'], skip: ['ip'] }, 'preflight: only and skip cannot be used together'],
      [{ ...OPTIONS, output: 'json=r.json' }, 'preflight: output: not used by preflight()'],
      [{ ...OPTIONS, signal: 'stop' }, 'preflight: signal: not an AbortSignal'],
      [null, 'preflight: options must be an object, got null'],
      [{}, 'preflight: missing partner: give the partner'],
      // Nested keys are named as the library's options, not as the CLI's flags.
      [{ ...OPTIONS, kea: { passwordFile: '/nonexistent/kea.pw' } }, 'preflight: kea.passwordFile'],
      [
        { ...OPTIONS, ldap: { url: 'ldap://admin:S3cret@dc.lab' } },
        'preflight: ldap.url: put no credentials in the URL; use ldap.bindDn and LDAP_PASSWORD or ldap.passwordFile',
      ],
      [{ ...OPTIONS, ldap: { url: 'http://dc.lab' } }, 'preflight: ldap.url: "http://dc.lab" is not ldap://host[:port]'],
    ];
    for (const [options, expected] of cases) {
      const err = await rejection(preflight(options as never));
      assert.ok(err instanceof InputError, `${JSON.stringify(options)}: ${String(err)}`);
      assert.ok(err.message.startsWith(expected) || err.message.includes(expected), `"${err.message}" should say ${expected}`);
      assert.doesNotMatch(err.message, /--[a-z]|S3cret/, `"${err.message}" names no CLI flag and no secret`);
    }
  });

  it('an AbortSignal stops the run promptly: the promise rejects with its reason', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 150);
    const err = await rejection(
      preflight({ partner: '127.0.0.2', partnerNtp: `127.0.0.1:${silentPort}`, timeout: '10s', only: ['time'], signal: controller.signal }),
    );
    const ms = performance.now() - started;
    assert.equal(err.name, 'AbortError');
    // Far from the 10 s timeout even on a loaded machine: the abort, not the timeout, ended it.
    assert.ok(ms < 8000, `stopped after ${ms.toFixed(0)} ms, not the 10 s timeout`);
    const already = await rejection(preflight({ ...OPTIONS, signal: AbortSignal.abort() }));
    assert.equal(already.name, 'AbortError');
  });
});
