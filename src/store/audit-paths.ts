// Where the embedded audit store and its spool live, without loading SQLite: the hooks write
// their events into the spool folder and never open the database.
import { join } from 'node:path';
import { wardenHome } from '../core/warden-home.js';

/** The store's file name in Warden's state folder. */
export const AUDIT_DB_FILE = 'audit.db';

/** `~/.warden/audit.db`, or under `$WARDEN_HOME` (tests point it elsewhere). */
export function defaultAuditDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(wardenHome(env), AUDIT_DB_FILE);
}

/** The spool folder of the store at `dbPath`: beside the database, so another `--audit-db` has its own. */
export function spoolDirOf(dbPath: string): string {
  return `${dbPath}.spool`;
}
