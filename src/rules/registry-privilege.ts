import type { Rule } from './rule.js';

export const PRIVILEGE_RULES: readonly Rule[] = [];
