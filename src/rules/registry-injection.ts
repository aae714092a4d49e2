// Text aimed at the model in instruction files and skills. The detectors behind these rules are
// pure functions in src/detect/ (unicode, injection-phrases, html-comments), shared with the
// runtime checks of tool descriptions and tool results.
import type { Rule } from './rule.js';
import { hiddenUnicode } from './hidden-unicode.js';
import { hiddenHtmlInstructions } from './hidden-html-instructions.js';
import { instructionOverride } from './instruction-override.js';
import { concealmentInstruction } from './concealment-instruction.js';
import { remoteCodeInstruction } from './remote-code-instruction.js';
import { safetyBypassInstruction } from './safety-bypass-instruction.js';
import { exfiltrationInstruction } from './exfiltration-instruction.js';

export const INJECTION_RULES: readonly Rule[] = [
  hiddenUnicode,
  hiddenHtmlInstructions,
  instructionOverride,
  concealmentInstruction,
  remoteCodeInstruction,
  safetyBypassInstruction,
  exfiltrationInstruction,
];
