import type { Rule } from './rule.js';

export const SECRET_RULES: readonly Rule[] = [];
