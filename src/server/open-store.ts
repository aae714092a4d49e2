// `--db` to a store: postgres:// or postgresql:// for PostgreSQL, anything else a SQLite file
// (`sqlite:` prefix optional), default $WARDEN_HOME/server.db. Each driver is imported only when
// chosen, so a SQLite server never loads pg and a PostgreSQL one never loads the native addon.
import { join } from 'node:path';
import { wardenHome } from '../core/warden-home.js';
import type { ServerStore } from './store.js';

export function defaultServerDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(wardenHome(env), 'server.db');
}

export const isPostgresUrl = (db: string) => /^postgres(?:ql)?:\/\//i.test(db);

export async function openServerStore(db: string | undefined): Promise<ServerStore> {
  if (db !== undefined && isPostgresUrl(db)) return (await import('./store-postgres.js')).openPostgresServerStore(db);
  const file = db === undefined ? defaultServerDbPath() : db.replace(/^sqlite:(?:\/\/)?/i, '');
  return (await import('./store-sqlite.js')).openSqliteServerStore(file);
}
