// Binding the control plane: loopback unless told otherwise, because agent tokens and (next slice)
// the admin login travel in clear until TLS is configured. The chosen address is printed so a
// caller that asked for port 0 learns the port.
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8377;

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** The port option as a number; undefined when it is not one. */
export function parsePort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65535 ? port : undefined;
}

/** The URL the server answers on, from the bound socket (the real port when 0 was asked for). */
export function boundUrl(app: FastifyInstance): string {
  const a = app.server.address() as AddressInfo;
  const host = a.family === 'IPv6' || a.address.includes(':') ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}

export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  return boundUrl(app);
}
