// Every rule Warden runs. Each category keeps its own list so adding a rule touches one file
// beside the rule itself.
import type { Rule } from './rule.js';
import { SECRET_RULES } from './registry-secret.js';
import { PRIVILEGE_RULES } from './registry-privilege.js';
import { SUPPLY_CHAIN_RULES } from './registry-supply-chain.js';
import { INJECTION_RULES } from './registry-injection.js';
import { CONFIG_RULES } from './registry-config.js';
import { POISONING_RULES } from './registry-poisoning.js';
import { RUG_PULL_RULES } from './rug-pull.js';
import { TOXIC_FLOW_RULES } from './registry-toxic-flow.js';

export const RULES: readonly Rule[] = [...SECRET_RULES, ...PRIVILEGE_RULES, ...SUPPLY_CHAIN_RULES, ...INJECTION_RULES, ...CONFIG_RULES, ...POISONING_RULES, ...TOXIC_FLOW_RULES, ...RUG_PULL_RULES];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
