// Where Warden keeps its own state on a machine: the audit store, config backups, the kill file,
// the receipt key. `~/.warden` unless WARDEN_HOME says otherwise (tests, and users who keep state
// elsewhere). Created 0700: audit events and backups are nobody else's business.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function wardenHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['WARDEN_HOME'];
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.warden');
}

/** `wardenHome()/...parts`, with the directories leading to it created (0700). */
export function wardenPath(...parts: string[]): string {
  const path = join(wardenHome(), ...parts);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  return path;
}
