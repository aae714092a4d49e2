// Every agent client Warden knows, in one list. Adding a client is adding a module to ./clients
// and a line here; nothing else in discovery changes.
import type { ClientSpec } from './spec.js';
import { claudeDesktop } from './clients/claude-desktop.js';
import { claudeCode } from './clients/claude-code.js';
import { cursor } from './clients/cursor.js';

export const CATALOGUE: readonly ClientSpec[] = [claudeDesktop, claudeCode, cursor];
