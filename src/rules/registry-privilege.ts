import type { Rule } from './rule.js';
import { sudoLaunch } from './sudo-launch.js';
import { privilegedContainer } from './privileged-container.js';
import { shellWrapperLaunch } from './shell-wrapper-launch.js';
import { filesystemRootAccess } from './filesystem-root-access.js';
import { agentSafetyDisabled } from './agent-safety-disabled.js';
import { projectAutoExec } from './project-auto-exec.js';
import { worldReadableSecrets } from './world-readable-secrets.js';
import { dangerousInstruction } from './dangerous-instruction.js';

export const PRIVILEGE_RULES: readonly Rule[] = [
  sudoLaunch,
  privilegedContainer,
  shellWrapperLaunch,
  filesystemRootAccess,
  agentSafetyDisabled,
  projectAutoExec,
  worldReadableSecrets,
  dangerousInstruction,
];
