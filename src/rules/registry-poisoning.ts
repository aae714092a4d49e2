// What servers tell the model: tool, prompt and resource definitions and server instructions,
// judged after `warden scan --connect` or `warden tools FILE`.
import type { Rule } from './rule.js';
import { toolHiddenInstructions } from './tool-hidden-instructions.js';
import { toolConcealment } from './tool-concealment.js';
import { toolSensitiveAccess } from './tool-sensitive-access.js';
import { toolExfiltration } from './tool-exfiltration.js';
import { toolShadowing } from './tool-shadowing.js';
import { toolHiddenCharacters } from './tool-hidden-characters.js';
import { toolEncodedPayload } from './tool-encoded-payload.js';
import { toolNameCollision } from './tool-name-collision.js';
import { toolAnnotationMismatch } from './tool-annotation-mismatch.js';
import { toolJudgeVerdict } from './tool-judge-verdict.js';

export const POISONING_RULES: readonly Rule[] = [
  toolHiddenInstructions,
  toolConcealment,
  toolSensitiveAccess,
  toolExfiltration,
  toolShadowing,
  toolHiddenCharacters,
  toolEncodedPayload,
  toolNameCollision,
  toolAnnotationMismatch,
  toolJudgeVerdict,
];
