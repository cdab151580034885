import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DaemonError, startDaemon, waitReady } from '../helpers/daemon.js';

// The harness every test daemon goes through (test/helpers/daemon.ts), on stand-ins started with
// sh: a daemon that does not start is an error carrying its own last lines, and stop() ends it by
// PID, with SIGKILL for one that ignores SIGTERM.

const gone = (pid: number) => assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} is gone`);

describe('test daemons (helpers/daemon.ts)', () => {
  it('a command that cannot be run is an error naming it and the hint, not a skip', async () => {
    await assert.rejects(startDaemon({ name: 'missing daemon', command: 'no-such-daemon-dfc', hint: 'install it' }), (err: unknown) => {
      assert.ok(err instanceof DaemonError);
      assert.equal(err.kind, 'spawn');
      assert.match(err.message, /^missing daemon: cannot run no-such-daemon-dfc: .*ENOENT.* \(install it\)$/);
      return true;
    });
  });

  it('a daemon that exits before it is ready fails the wait at once, with its last lines', { timeout: 60_000 }, async () => {
    const d = await startDaemon({
      name: 'dies',
      command: 'sh',
      args: ['-c', 'for i in $(seq 1 100); do echo "line $i"; done; echo "fatal: bad config" >&2; exit 3'],
    });
    await assert.rejects(
      // A bound far beyond the test's timeout: only the exit can end this wait in time.
      waitReady(d, () => 'not listening', { what: 'dies to listen', withinMs: 600_000, tailLines: 5 }),
      (err: unknown) => {
        assert.ok(err instanceof DaemonError);
        assert.equal(err.kind, 'exited');
        assert.match(err.message, /^Waiting for dies to listen: dies \(pid \d+\) exited \(code 3, signal null\) \(last: not listening\)\./);
        assert.match(err.message, /line 100\nfatal: bad config$/);
        assert.doesNotMatch(err.message, /line 95\n/, 'only the last lines');
        return true;
      },
    );
    gone(d.pid);
  });

  it('a daemon that never gets ready fails at the bound and is stopped, not left running', { timeout: 60_000 }, async () => {
    const d = await startDaemon({ name: 'mute', command: 'sh', args: ['-c', 'echo starting; exec sleep 600'] });
    await assert.rejects(
      waitReady(d, () => false, { what: 'mute to answer', withinMs: 200 }),
      (err: unknown) => {
        assert.ok(err instanceof DaemonError);
        assert.equal(err.kind, 'timeout');
        assert.match(err.message, /^Waiting for mute to answer: not within 200 ms \(last: not yet\); mute pid \d+ running\.\n[\s\S]*\nstarting$/);
        return true;
      },
    );
    assert.equal(d.running(), false);
    gone(d.pid);
  });

  it('resolves with the wait once the probe says ready, and stop() ends the daemon by its PID', { timeout: 60_000 }, async () => {
    const d = await startDaemon({ name: 'sleeper', command: 'sleep', args: ['600'] });
    let polls = 0;
    const waited = await waitReady(d, () => ++polls === 3 || `poll ${polls}`, { what: 'sleeper', withinMs: 600_000, everyMs: 1 });
    assert.equal(polls, 3);
    assert.ok(waited >= 0);
    await d.stop();
    assert.equal(d.state(), 'exited (code null, signal SIGTERM)');
    gone(d.pid);
    await d.stop();
  });

  it('SIGKILLs a daemon that ignores SIGTERM once the grace is over', { timeout: 60_000 }, async () => {
    const d = await startDaemon({ name: 'stubborn', command: 'sh', args: ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'], graceMs: 200 });
    await waitReady(d, () => d.output().includes('ready'), { what: 'stubborn', withinMs: 600_000, everyMs: 10 });
    await d.stop();
    assert.equal(d.state(), 'exited (code null, signal SIGKILL)');
    gone(d.pid);
  });

  it('keeps output in a file when told, and tails the logs it names', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfc-daemon-'));
    try {
      writeFileSync(join(dir, 'own.log'), 'own log line\n');
      const d = await startDaemon({
        name: 'filed',
        command: 'sh',
        args: ['-c', 'echo to-file; exit 0'],
        outputFile: join(dir, 'out'),
        logFiles: [join(dir, 'own.log'), join(dir, 'absent.log')],
      });
      await d.exited;
      assert.equal(d.output(), 'to-file\n');
      assert.match(d.tail(), /out ---\nto-file\n--- .*own\.log ---\nown log line\n--- .*absent\.log ---\n\(none\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
