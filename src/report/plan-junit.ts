import { junitReporter } from './junit.js';
import type { PlanReporter } from './plan-types.js';

const SUITES = 'dhcp-failover-check';

/**
 * One <testsuite> per pairing, each the single-pair reporter's own suite (same testcases, same
 * failure texts) renamed after its pairing, inside one <testsuites> with the batch's totals.
 */
export const planJunitReporter: PlanReporter = (report, options) => {
  const suites = report.pairings.flatMap((p, i) => {
    const lines = junitReporter(p.report, options).split('\n');
    const start = lines.findIndex((l) => l.startsWith('  <testsuite '));
    const end = lines.lastIndexOf('  </testsuite>');
    const name = `${SUITES} ${i + 1}: ${p.local.name} -> ${p.partner.name}`;
    const head = lines[start]!.replace(/ name="[^"]*"/, ` name="${attr(name)}"`);
    return [head, ...lines.slice(start + 1, end + 1)];
  });
  const all = report.pairings.flatMap((p) => p.report.checks);
  const count = (s: string) => all.filter((c) => c.status === s).length;
  const counts =
    `tests="${all.length}" failures="${count('fail')}" errors="${count('unknown')}" ` +
    `skipped="${count('skip')}" time="${(Math.max(0, report.durationMs) / 1000).toFixed(3)}"`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${attr(`${SUITES} plan ${report.plan}`)}" ${counts}>`, ...suites, '</testsuites>', ''].join('\n');
};

function attr(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\t\n\r]/g, ' ');
}
