import { markdownReporter } from './markdown.js';
import { planSummaryLine } from './plan-build.js';
import type { PlanReporter } from './plan-types.js';

/** A plan as one Markdown document: the plan's line, then each pairing's own report one level down. */
export const planMarkdownReporter: PlanReporter = (report, options) => {
  const out = [`# DHCP failover preflight plan: ${text(report.plan)}`, '', `**${text(planSummaryLine(report))}**`, ''];
  report.pairings.forEach((p, i) => {
    const single = markdownReporter(p.report, options).replace(/^## DHCP failover preflight: /, `## ${i + 1}. ${text(p.local.name)} → `);
    out.push(single.trimEnd(), '');
  });
  return `${out.join('\n')}`;
};

const text = (s: string): string => s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ');
