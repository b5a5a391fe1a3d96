// Every rule lbguard ships. One module per rule; adding a rule adds one line here.
import type { Rule } from '../lint/rule.js';

export const ALL_RULES: Rule[] = [];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
