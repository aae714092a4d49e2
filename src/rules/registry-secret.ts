// Credentials where they should not be: configs, instruction files, command lines. The detection
// engine behind them is src/detect/secrets.ts (secretlint + Warden's own patterns + names).
import type { Rule } from './rule.js';
import { hardcodedSecret } from './hardcoded-secret.js';
import { secretInInstructions } from './secret-in-instructions.js';

export const SECRET_RULES: readonly Rule[] = [hardcodedSecret, secretInInstructions];
