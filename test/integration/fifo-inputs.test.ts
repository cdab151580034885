import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from '../helpers/cli.js';
import { assertOneLineError } from '../helpers/hostile-run.js';
import { ReportSchema } from '../../src/report/schema.js';

// Inputs that are pipes, through the built CLI: a FIFO (or `<(...)`) is read like a file when
// something writes to it, and one nobody writes to ends the run with exit 2 naming it, within
// --timeout. Only local files and loopback-free checks: nothing here opens a socket.

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/cli/${name}`, import.meta.url)).replace('/dist/test/', '/test/');
const LOCAL = fixture('local.yaml');
const GOOD = `inventory:${fixture('partner-good.yaml')}`;

describe('pipes and FIFOs as inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-fifo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fifo = () => {
    const path = join(dir, `input-${n++}.fifo`);
    execFileSync('mkfifo', [path]);
    return path;
  };
  /** A child that opens the FIFO a moment later and writes `content` into it. */
  const writer = (path: string, content: string): Promise<void> => {
    const source = `${path}.content`;
    writeFileSync(source, content);
    const child = spawn('sh', ['-c', 'sleep 0.2; cat "$0" > "$1"', source, path], { stdio: 'ignore' });
    return new Promise((resolve) => child.on('close', () => resolve()));
  };
  const scopesCheck = (stdout: string) => ReportSchema.parse(JSON.parse(stdout)).checks.find((c) => c.id === 'scopes');

  test('--local-source inventory:<fifo> with a writer: read like the file', async () => {
    const p = fifo();
    const [run] = await Promise.all([
      runCli(['127.0.0.2', '--local-source', `inventory:${p}`, '--partner-source', GOOD, '--only', 'scopes', '--format', 'json']),
      writer(p, readFileSync(LOCAL, 'utf8')),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(scopesCheck(run.stdout)?.status, 'pass');
  });

  test('--local-source inventory:<fifo> nobody writes to: exit 2 naming it, at --timeout', async () => {
    const p = fifo();
    const run = await runCli(['127.0.0.2', '--local-source', `inventory:${p}`, '--partner-source', GOOD, '--only', 'scopes', '--timeout', '1s'], {
      timeoutMs: 20_000,
    });
    assertOneLineError(run, `${p}: nothing arrived within 1000 ms`);
  });

  test('-c <fifo> with a writer: the config is read from it', async () => {
    const p = fifo();
    const config = `partner: 127.0.0.2\nlocalSource: inventory:${LOCAL}\npartnerSource: ${GOOD}\nonly: [scopes]\nformat: json\n`;
    const [run] = await Promise.all([runCli(['-c', p]), writer(p, config)]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(scopesCheck(run.stdout)?.status, 'pass');
  });

  test('-c <fifo> nobody writes to: exit 2 naming it, at --timeout', async () => {
    const p = fifo();
    const run = await runCli(['-c', p, '--timeout', '1s'], { timeoutMs: 20_000 });
    assertOneLineError(run, `${p}: nothing arrived within 1000 ms`);
  });

  test('SIGTERM while a source waits for a FIFO writer: the run ends as interrupted (143), not as an error', async () => {
    const p = fifo();
    /** The child has the FIFO open: it is waiting for a writer, its SIGTERM handler installed. */
    const opened = (pid: number) => {
      try {
        return readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === p);
      } catch {
        return false;
      }
    };
    let poll: NodeJS.Timeout | undefined;
    const run = await runCli(['127.0.0.2', '--local-source', `inventory:${p}`, '--partner-source', GOOD, '--only', 'scopes', '--timeout', '60s'], {
      timeoutMs: 30_000,
      onSpawn: (pid) => {
        poll = setInterval(() => {
          if (!opened(pid)) return;
          clearInterval(poll);
          process.kill(pid, 'SIGTERM');
        }, 20);
      },
    });
    clearInterval(poll);
    assert.equal(run.code, 143, run.stderr);
    assert.doesNotMatch(run.stderr, /internal error/);
  });

  test('process substitution, as a shell hands it over: -c <(...) and inventory:<(...)', async () => {
    const config = join(dir, 'c.yaml');
    writeFileSync(config, 'partner: 127.0.0.2\nonly: [scopes]\nformat: json\n');
    const script = `exec "$0" "$1" -c <(cat "$2") --local-source inventory:<(cat "$3") --partner-source "$4"`;
    const stdout = execFileSync('bash', ['-c', script, process.execPath, BIN, config, LOCAL, GOOD], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(scopesCheck(stdout)?.status, 'pass');
  });
});
