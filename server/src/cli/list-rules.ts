/**
 * `irsa-lint --list-rules`: every rule id with its default severity,
 * whether `--fix` can fix it, and its title; the ids are what `--rule`,
 * `.irsa-lint.json` and `# irsa-ignore` take.
 */
import type { RuleMeta } from '../rules/types';
import { DOCS_BASE_URL } from '../rules/types';

export function formatRuleList(rules: readonly RuleMeta[]): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.defaultSeverity.padEnd(7)}  ${r.fixable ? 'fix' : '   '}  ${r.title}`);
  return `${lines.join('\n')}\n\nEach rule's page: ${DOCS_BASE_URL}<rule-id>.md\n`;
}
