import { planSummaryLine } from './plan-build.js';
import type { PlanReporter } from './plan-types.js';
import { tapReporter } from './tap.js';

/**
 * TAP version 14: one test point per pairing, its checks a subtest that is exactly the
 * single-pair TAP (indented four spaces, as TAP 14 nests subtests).
 */
export const planTapReporter: PlanReporter = (report, options) => {
  const lines = ['TAP version 14', `1..${report.pairings.length}`];
  report.pairings.forEach((p, i) => {
    const name = `${p.local.name} -> ${p.partner.name}`.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/#/g, '\\#');
    const body = tapReporter(p.report, options).trimEnd().split('\n').filter((l) => !l.startsWith('TAP version'));
    lines.push(`# Subtest: ${name}`, ...body.map((l) => `    ${l}`), `${p.report.exitCode === 0 ? 'ok' : 'not ok'} ${i + 1} - ${name}`);
  });
  lines.push(`# plan: ${planSummaryLine(report)}`, '');
  return lines.join('\n');
};
