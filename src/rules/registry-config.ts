import type { Rule } from './rule.js';
import { secretInArgs } from './secret-in-args.js';
import { unscannableConfig } from './unscannable-config.js';

export const CONFIG_RULES: readonly Rule[] = [secretInArgs, unscannableConfig];
