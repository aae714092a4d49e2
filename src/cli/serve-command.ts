// `warden serve`: the control plane every gateway and hook of a fleet reports to, and
// `warden serve token create|revoke`: the agent tokens they report with. Loaded only when one of
// these commands runs, so the other commands never load Fastify or a database driver.
import { UsageError } from '../core/errors.js';
import { HOST_NAME, TOKEN_ID } from '../server/agent-tokens.js';
import { buildApp } from '../server/app.js';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, listen, parsePort } from '../server/listen.js';
import { openServerStore } from '../server/open-store.js';
import { ServerStoreError, type ServerStore } from '../server/store.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  db?: string;
}

const say = (line: string) => process.stderr.write(`warden: ${line}\n`);

/** Opens the store, or says why it cannot be (a newer schema, an unreachable database) and returns undefined. */
async function open(db: string | undefined): Promise<ServerStore | undefined> {
  try {
    return await openServerStore(db);
  } catch (err) {
    if (err instanceof ServerStoreError) {
      say(err.message);
      return undefined;
    }
    throw err;
  }
}

/** Runs until SIGINT or SIGTERM. Exit 0 after a clean stop, 1 when the store or the address cannot be used. */
export async function runServe(o: ServeOptions): Promise<number> {
  const host = o.host ?? DEFAULT_HOST;
  const port = parsePort(o.port ?? String(DEFAULT_PORT));
  if (port === undefined) throw new UsageError(`--port ${JSON.stringify(o.port)}: expected a port number from 0 to 65535`);
  if (!isLoopback(host)) say(`warning: listening on ${host}, not loopback: agent tokens and the admin login travel over this network in clear text; put the server behind a TLS-terminating proxy`);
  const store = await open(o.db);
  if (!store) return 1;
  const app = buildApp(store);
  let url: string;
  try {
    url = await listen(app, host, port);
  } catch (err) {
    await store.close();
    say(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
    return 1;
  }
  // Listening for the stop signals before saying where it listens: whoever reads that line may
  // send SIGTERM at once, and a signal that comes before its listener kills the process outright.
  const stopped = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  say(`listening on ${url} (${store.kind} store: ${store.location})`);
  await stopped;
  // In-flight requests finish (new ones get 503), then the store closes.
  await app.close();
  await store.close();
  return 0;
}

/** `o` merges serve's options and create's own (see main.ts): --host and --db may have landed on either. */
export async function runTokenCreate(o: { host?: string; label?: string; db?: string }): Promise<number> {
  if (o.host === undefined) throw new UsageError('token create: --host NAME is required: the host the token reports as');
  if (!HOST_NAME.test(o.host)) throw new UsageError(`--host ${JSON.stringify(o.host.slice(0, 64))}: expected a host name (letters, digits, . _ : @ -, at most 253 characters)`);
  if (o.label !== undefined && (o.label.length > 200 || /[\u0000-\u001f\u007f]/.test(o.label))) throw new UsageError('--label: at most 200 printable characters');
  const host = o.host;
  return withStore(o.db, async (store) => {
    const t = await store.createAgentToken(host, o.label);
    // stdout carries only the token, so a script can capture it; it is shown this once.
    process.stdout.write(`${t.token}\n`);
    say(`created agent token ${t.id} for host ${host}; it is shown only once and stored only as a hash (revoke: warden serve token revoke ${t.id})`);
    return 0;
  });
}

export async function runTokenRevoke(id: string, o: { db?: string }): Promise<number> {
  if (!TOKEN_ID.test(id)) throw new UsageError(`${JSON.stringify(id.slice(0, 64))}: expected a token id (16 hex digits, as token create printed it)`);
  return withStore(o.db, async (store) => {
    if (!(await store.revokeAgentToken(id))) {
      say(`no live token with id ${id}`);
      return 1;
    }
    say(`revoked agent token ${id}`);
    return 0;
  });
}

/** Runs `fn` on the store and closes it; a store that cannot be opened or used is exit 1 with its reason. */
async function withStore(db: string | undefined, fn: (store: ServerStore) => Promise<number>): Promise<number> {
  const store = await open(db);
  if (!store) return 1;
  try {
    return await fn(store);
  } catch (err) {
    if (err instanceof ServerStoreError) {
      say(err.message);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
