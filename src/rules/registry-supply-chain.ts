import type { Rule } from './rule.js';

export const SUPPLY_CHAIN_RULES: readonly Rule[] = [];
