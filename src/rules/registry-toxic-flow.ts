// What a client's servers can do together (after `scan --connect` or in `warden tools`).
import type { Rule } from './rule.js';
import { lethalTrifecta, untrustedCodeExecution } from './lethal-trifecta.js';

export const TOXIC_FLOW_RULES: readonly Rule[] = [lethalTrifecta, untrustedCodeExecution];
