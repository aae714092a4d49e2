// Who may talk to the gateway's HTTP listener. A local MCP endpoint is reachable from any web
// page the user opens (DNS rebinding: evil.example resolves to 127.0.0.1), so on a loopback bind
// the Host header must name the listener itself and a browser Origin must be local. A bind on
// any other address is reachable by other machines and must have a bearer token, compared in
// constant time. Pure functions, so each rule is tested without a socket.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AccessPolicy {
  /** Host header values accepted (lower case, with port); empty means any (a token guards the bind). */
  hosts: ReadonlySet<string>;
  /** Origins accepted besides local ones, exactly as a browser sends them. */
  origins: ReadonlySet<string>;
  /** SHA-256 of the bearer token, when one is required. */
  tokenDigest: Buffer | undefined;
}

export type AccessDenied = { status: 401 | 403; message: string };

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * The policy for a listener bound to `host:port`. Throws when the bind is not loopback and there
 * is no token: refusing to start beats serving tools to the network unauthenticated.
 */
export function accessPolicy(o: { host: string; port: number; token?: string | undefined; allowedOrigins?: readonly string[] | undefined }): AccessPolicy {
  const loopback = isLoopbackHost(o.host);
  if (!loopback && !o.token) throw new Error(`listening on ${o.host} exposes the gateway to the network: give a --token, or listen on 127.0.0.1`);
  const hosts = new Set<string>();
  if (loopback) {
    const bound = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
    for (const name of [bound.toLowerCase(), '127.0.0.1', 'localhost', '[::1]']) hosts.add(`${name}:${o.port}`);
  }
  return {
    hosts,
    origins: new Set(o.allowedOrigins ?? []),
    tokenDigest: o.token ? digest(o.token) : undefined,
  };
}

/** Why this request may not be served, or undefined when it may. */
export function checkAccess(headers: IncomingHttpHeaders, policy: AccessPolicy): AccessDenied | undefined {
  if (policy.hosts.size > 0 && !policy.hosts.has((headers.host ?? '').toLowerCase())) {
    return { status: 403, message: `Forbidden: Host "${headers.host ?? ''}" is not this gateway` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !policy.origins.has(origin) && !isLocalOrigin(origin)) {
    return { status: 403, message: `Forbidden: Origin "${origin}" is not allowed` };
  }
  if (policy.tokenDigest) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '');
    // Digests have equal length whatever was sent, so the comparison time says nothing about the token.
    if (!match || !timingSafeEqual(digest(match[1]!), policy.tokenDigest)) return { status: 401, message: 'Unauthorized: a valid bearer token is required' };
  }
  return undefined;
}

function isLocalOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && url.pathname === '/' && !url.username && !origin.endsWith('/');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
