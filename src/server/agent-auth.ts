// Agent (host) authentication: `Authorization: Bearer wdn_...`. Every failure, whatever its cause
// (no header, wrong scheme, malformed token, unknown id, wrong secret, revoked), is the same 401,
// so a caller learns nothing about which part was wrong.
import type { FastifyRequest } from 'fastify';
import { bearerToken } from './agent-tokens.js';
import { HttpError } from './http-error.js';
import type { ServerStore } from './store.js';

const UNAUTHORIZED = () => new HttpError(401, 'unauthorized: send a valid agent token as "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer realm="warden"' });

/** The host the request's token was issued for; throws the 401 otherwise. */
export async function authenticateAgent(store: ServerStore, request: FastifyRequest): Promise<string> {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) throw UNAUTHORIZED();
  const host = await store.verifyAgentToken(token);
  if (host === undefined) throw UNAUTHORIZED();
  return host;
}
