import assert from 'node:assert/strict';
import { runCli, type CliOptions, type CliRun } from './cli.js';
import { ReportSchema } from '../../src/report/schema.js';

// Shared by the hostile-* integration tests: run the built CLI with --format json, parse and
// validate the report, and assert the promises every hostile case makes (bounded wall time,
// the exit code, the affected check's status and cause, the other checks undisturbed).

export type Report = ReturnType<typeof ReportSchema.parse>;
export type CheckReport = Report['checks'][number];

export interface JsonRun {
  run: CliRun;
  report: Report;
  by(id: string): CheckReport;
  /** id -> status for every check in the report. */
  statuses: Record<string, string>;
}

/** --timeout 2s everywhere: the hostile runs must end within the timeout plus one second. */
export const TIMEOUT_ARGS = ['--timeout', '2s'] as const;
export const BOUND_MS = 3000;

export async function runJson(args: string[], opts: CliOptions = {}): Promise<JsonRun> {
  const run = await runCli([...args, '--format', 'json'], { timeoutMs: 20_000, ...opts });
  let report: Report;
  try {
    report = ReportSchema.parse(JSON.parse(run.stdout));
  } catch (err) {
    assert.fail(
      `no valid JSON report (exit ${run.code}, ${Math.round(run.wallMs)} ms): ${(err as Error).message}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`,
    );
  }
  const by = (id: string) => {
    const c = report.checks.find((x) => x.id === id);
    assert.ok(c, `no check ${id} in the report`);
    return c;
  };
  const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  return { run, report, by, statuses };
}

/**
 * The common assertions of a hostile case: `id` ends with `status`, its details (or message)
 * match `cause`, the process exits with `code` within BOUND_MS, and every other check has the
 * status it has in `baseline`.
 */
export function assertHostile(
  r: JsonRun,
  expect: { id: string | string[]; status: string; cause: RegExp; code: number; baseline: Record<string, string>; boundMs?: number },
): void {
  const ids = Array.isArray(expect.id) ? expect.id : [expect.id];
  const dump = () => `exit ${r.run.code}, ${Math.round(r.run.wallMs)} ms\n${JSON.stringify(r.report.checks, null, 1).slice(0, 4000)}\nstderr: ${r.run.stderr}`;
  for (const id of ids) {
    const c = r.by(id);
    assert.equal(c.status, expect.status, `${id}: ${dump()}`);
    assert.match(`${c.message} ${JSON.stringify(c.details)}`, expect.cause, `${id}: the cause is not in the details: ${dump()}`);
  }
  assert.equal(r.run.code, expect.code, dump());
  assert.equal(r.report.exitCode, expect.code);
  assert.ok(r.run.wallMs < (expect.boundMs ?? BOUND_MS), `took ${Math.round(r.run.wallMs)} ms (bound ${expect.boundMs ?? BOUND_MS} ms)`);
  for (const [id, status] of Object.entries(expect.baseline)) {
    if (ids.includes(id)) continue;
    assert.equal(r.statuses[id], status, `the hostile peer disturbed check ${id}: ${dump()}`);
  }
  assert.doesNotMatch(r.run.stderr, /\n\s+at .+:\d+:\d+/, 'a stack trace on stderr');
}

/** A usage / input error: exit 2, exactly one line on stderr that matches every `needle`, nothing on stdout. */
export function assertOneLineError(run: CliRun, ...needles: (string | RegExp)[]): void {
  const what = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  assert.equal(run.code, 2, what);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `expected one line on stderr: ${what}`);
  assert.match(lines[0]!, /^dhcp-failover-check: /, what);
  assert.doesNotMatch(run.stderr, /\bat .+:\d+:\d+|internal error/, `a stack trace or internal error: ${what}`);
  for (const n of needles) {
    if (typeof n === 'string') assert.ok(lines[0]!.includes(n), `stderr does not name ${JSON.stringify(n)}: ${what}`);
    else assert.match(lines[0]!, n, what);
  }
  assert.equal(run.stdout, '', `stdout must be empty: ${what}`);
}
