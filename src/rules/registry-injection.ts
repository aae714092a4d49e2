import type { Rule } from './rule.js';

export const INJECTION_RULES: readonly Rule[] = [];
