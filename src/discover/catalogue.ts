// Every agent client Warden knows, in one list. Adding a client is adding a module to ./clients
// and a line here; nothing else in discovery changes.
import type { ClientSpec } from './spec.js';
import { claudeDesktop } from './clients/claude-desktop.js';
import { claudeCode } from './clients/claude-code.js';
import { cursor } from './clients/cursor.js';
import { vscode } from './clients/vscode.js';
import { windsurf } from './clients/windsurf.js';
import { geminiCli } from './clients/gemini-cli.js';
import { codex } from './clients/codex.js';
import { zed } from './clients/zed.js';
import { continueDev } from './clients/continue.js';
import { cline } from './clients/cline.js';
import { rooCode } from './clients/roo-code.js';
import { opencode } from './clients/opencode.js';
import { kiro } from './clients/kiro.js';
import { amazonQ } from './clients/amazon-q.js';
import { openclaw } from './clients/openclaw.js';
import { goose } from './clients/goose.js';
import { antigravity } from './clients/antigravity.js';
import { copilotCli } from './clients/copilot-cli.js';
import { lmStudio } from './clients/lm-studio.js';
import { junie } from './clients/junie.js';
import { amp } from './clients/amp.js';

export const CATALOGUE: readonly ClientSpec[] = [
  claudeDesktop,
  claudeCode,
  cursor,
  vscode,
  windsurf,
  geminiCli,
  codex,
  zed,
  continueDev,
  cline,
  rooCode,
  opencode,
  kiro,
  amazonQ,
  openclaw,
  goose,
  antigravity,
  copilotCli,
  lmStudio,
  junie,
  amp,
];
