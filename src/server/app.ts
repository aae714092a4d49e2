// The control plane's HTTP application: health endpoints, the API, and one error policy. A client
// error is answered with a JSON message saying what to fix; a store that is unreachable is a 503
// the sender retries (gateways keep the batch in their spool); anything else is a 500 that
// reveals nothing of the server's internals and is logged here.
import { fastify, type FastifyError, type FastifyInstance } from 'fastify';
import { VERSION } from '../core/version.js';
import { MAX_BODY_BYTES } from './event-validation.js';
import { registerEventRoutes } from './events-routes.js';
import { HttpError } from './http-error.js';
import { ServerStoreError, type ServerStore } from './store.js';

export interface AppOptions {
  /** Where server-side failures are written (one line each). */
  log?: (line: string) => void;
}

/** Seconds a client should wait before retrying when the store is unavailable. */
const RETRY_AFTER_SECONDS = 5;

export function buildApp(store: ServerStore, o: AppOptions = {}): FastifyInstance {
  const log = o.log ?? ((line: string) => process.stderr.write(`warden serve: ${line}\n`));
  const app = fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // A body with __proto__ or constructor.prototype keys is refused, not parsed and trusted.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A client that trickles its request in cannot hold a connection open forever.
    requestTimeout: 60_000,
    return503OnClosing: true,
  });

  app.setErrorHandler((err: FastifyError | HttpError | ServerStoreError | Error, _request, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).headers(err.headers).send({ error: err.message });
    if (err instanceof ServerStoreError && err.retryable) {
      log(`store unavailable: ${err.message}`);
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ error: 'the store is unavailable; retry later', retryable: true });
    }
    // Fastify's own client errors (bad JSON, wrong content type, body too large) carry their status.
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    log(`internal error: ${err instanceof ServerStoreError ? err.message : (err.stack ?? String(err))}`);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` }));

  app.get('/healthz', async () => ({ status: 'ok', version: VERSION }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ready' };
    } catch (err) {
      // The detail (database name, driver message) stays in the server's log: this endpoint is unauthenticated.
      log(`not ready: ${(err as Error).message}`);
      return reply.code(503).send({ status: 'unavailable', reason: `the ${store.kind} store does not answer a query` });
    }
  });

  registerEventRoutes(app, store);
  return app;
}
