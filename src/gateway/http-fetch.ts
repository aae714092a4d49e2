// What the HTTP upstream needs around `fetch`: bodies read with a byte cap, media types, and the
// one-line reason for a network failure that undici buries under "fetch failed".
import { isObject, snippet } from './http-messages.js';
import { NETWORK_ERRORS } from '../core/network-errors.js';
import { readCapped } from '../core/http-body.js';

export class BodyTooLarge extends Error {}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function mediaType(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Reads a body as UTF-8 text, failing past `max` bytes without buffering the rest. */
export async function readBody(res: Response, max: number): Promise<string> {
  const body = await readCapped(res, max);
  if ('tooLarge' in body) throw new BodyTooLarge();
  return body.text;
}


/** undici wraps the telling cause (ECONNREFUSED) under "fetch failed": walk down to it. */
export function describeError(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; depth < 5 && isObject(current); depth++) {
    const code = current['code'];
    if (typeof code === 'string' && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
    if (current['name'] === 'AbortError' || current['name'] === 'TimeoutError') return 'aborted';
    if (typeof current['message'] === 'string' && current['message'] && current['message'] !== 'fetch failed') message = current['message'];
    current = current['cause'];
  }
  return snippet(message);
}
