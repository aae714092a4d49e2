// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then random bits. Audit
// event ids sort by time, so the store's unique index only ever appends (a random v4 id lands on
// a random index page at every commit) and ids from different machines still never collide.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Fills `buf` from the kernel's CSPRNG. /dev/urandom where it exists: loading node:crypto costs a
 * short-lived process (a hook) several milliseconds; elsewhere (Windows), node:crypto.
 */
function fillRandom(buf: Buffer): void {
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, buf, 0, buf.length, null) === buf.length) return;
    } finally {
      closeSync(fd);
    }
  } catch {
    // no /dev/urandom
  }
  (createRequire(process.execPath)('node:crypto') as typeof import('node:crypto')).randomFillSync(buf);
}

const POOL = 4096;
const pool = Buffer.alloc(POOL);
let offset = POOL;

export function uuid7(now: number = Date.now()): string {
  if (offset + 10 > POOL) {
    fillRandom(pool);
    offset = 0;
  }
  const b = Buffer.alloc(16);
  b.writeUIntBE(now, 0, 6);
  pool.copy(b, 6, offset, offset + 10);
  offset += 10;
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
