import { humanReporter } from './human.js';
import { planSummaryLine } from './plan-build.js';
import type { PlanReporter } from './plan-types.js';
import { clean } from './text.js';

/** Grouped by pairing: each pairing exactly as its single-pair report (its summary line last), then the plan's line. */
export const planHumanReporter: PlanReporter = (report, options) => {
  const total = report.pairings.length;
  const out = [`${report.tool.name} ${report.tool.version} — plan ${clean(report.plan)}: ${total} pairing${total === 1 ? '' : 's'}`, ''];
  report.pairings.forEach((p, i) => {
    out.push(`━━ pairing ${i + 1}/${total}: ${clean(p.local.name)} -> ${clean(p.partner.name)} ━━`);
    out.push(humanReporter(p.report, options).trimEnd(), '');
  });
  out.push(`plan: ${planSummaryLine(report)}`);
  return `${out.join('\n')}\n`;
};
