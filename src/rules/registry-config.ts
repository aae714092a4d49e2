import type { Rule } from './rule.js';
import { secretInArgs } from './secret-in-args.js';
import { unscannableConfig } from './unscannable-config.js';
import { serverInspectionFailed } from './server-inspection-failed.js';

export const CONFIG_RULES: readonly Rule[] = [secretInArgs, unscannableConfig, serverInspectionFailed];
