// Agent (host) tokens: `wdn_<id>_<secret>`. The id is a non-secret handle (the row to look up, the
// name to revoke); the secret is 32 random bytes. Only SHA-256 of the secret is stored: the secret
// is high-entropy, so a fast hash cannot be brute-forced and a memory-hard one would only slow every
// ingest request. Passwords (low entropy, chosen by people) get a memory-hard hash in their slice.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'wdn_';
const ID_BYTES = 8;
const SECRET_BYTES = 32;
/** base64url lengths of the parts, so a token of the wrong shape is refused before any lookup. */
const TOKEN_SHAPE = /^wdn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewAgentToken {
  /** The non-secret id: shown in listings, passed to revoke. */
  id: string;
  /** The whole token, shown once. */
  token: string;
  /** SHA-256 of the secret part: what the store keeps. */
  hash: Buffer;
}

export function generateAgentToken(): NewAgentToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, token: `${PREFIX}${id}_${secret}`, hash: hashSecret(secret) };
}

export interface ParsedAgentToken {
  id: string;
  hash: Buffer;
}

/** The id to look up and the hash to compare, or undefined for anything not shaped like a token. */
export function parseAgentToken(token: string): ParsedAgentToken | undefined {
  const m = TOKEN_SHAPE.exec(token);
  if (!m) return undefined;
  return { id: m[1]!, hash: hashSecret(m[2]!) };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

// Compared against when the id is unknown, so an unknown id costs the same comparison as a wrong secret.
const NO_HASH = Buffer.alloc(32);

/**
 * Whether the presented token's hash equals the stored one, in constant time. `stored` is
 * undefined when no live token has that id; the comparison still runs.
 */
export function agentTokenMatches(presented: ParsedAgentToken, stored: Buffer | undefined): boolean {
  const against = stored?.length === 32 ? stored : NO_HASH;
  return timingSafeEqual(presented.hash, against) && stored !== undefined;
}

/** The header value's token, from `Authorization: Bearer <token>` (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m?.[1];
}

/** Host names tokens are issued for: printable and short, since they end up in every listing and log line. */
export const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$/;
/** Token ids as `revoke` takes them. */
export const TOKEN_ID = /^[0-9a-f]{16}$/;
