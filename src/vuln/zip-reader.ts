// A minimal ZIP reader for OSV exports (osv.dev publishes one all.zip of per-advisory JSON files
// per ecosystem). It reads the central directory at the end of the file, then each entry by
// position, so memory holds one entry at a time. Only what those exports use is supported:
// stored and deflated entries, ZIP64 (npm's export has more than 65,535 entries), one disk.
// Everything is checked against the file and the caps before it is trusted: a truncated or
// tampered file (offsets past the end, a CRC that does not match) or an entry that inflates past
// its declared size or the cap (a zip bomb) is a ZipError naming the entry, never a crash or an
// allocation the size of an attacker's choosing.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipLimits {
  /** Largest uncompressed entry accepted. */
  maxEntryBytes: number;
  /** Largest total uncompressed size over all entries read. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  // The largest OSV records (Linux kernel ones listing thousands of versions) are a few MB.
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxEntries: 5_000_000,
};

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

function u64(buf: Buffer, offset: number, what: string): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`${what} is out of range (${v})`);
  return Number(v);
}

export class ZipReader {
  readonly entries: ZipEntry[];
  #fd: number;
  readonly #size: number;
  readonly #limits: ZipLimits;
  #totalRead = 0;

  private constructor(fd: number, size: number, limits: ZipLimits) {
    this.#fd = fd;
    this.#size = size;
    this.#limits = limits;
    this.entries = this.#readCentralDirectory();
  }

  /** Opens `path` and reads its directory; throws ZipError (or a file-system error) when it cannot. */
  static open(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReader {
    const fd = openSync(path, 'r');
    try {
      return new ZipReader(fd, fstatSync(fd).size, limits);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  /** Exactly `length` bytes at `position`, or a ZipError saying the file ends first. */
  #read(position: number, length: number, what: string): Buffer {
    if (position < 0 || position + length > this.#size) throw new ZipError(`${what} lies past the end of the file (truncated or corrupt)`);
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.#fd, buf, got, length - got, position + got);
      if (n === 0) throw new ZipError(`${what} lies past the end of the file (truncated or corrupt)`);
      got += n;
    }
    return buf;
  }

  #readCentralDirectory(): ZipEntry[] {
    if (this.#size < EOCD_SIZE) throw new ZipError('too short to be a ZIP file (truncated?)');
    // The end record sits in the last 22 bytes plus at most a 64 KB comment: search backwards.
    const tailLength = Math.min(this.#size, EOCD_SIZE + MAX_COMMENT);
    const tailStart = this.#size - tailLength;
    const tail = this.#read(tailStart, tailLength, 'the end of the file');
    let eocd = -1;
    for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tailLength) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipError('no end-of-central-directory record: not a ZIP file, or truncated');
    if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new ZipError('multi-volume ZIP files are not supported');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locatorAt = tailStart + eocd - 20;
      const locator = this.#read(locatorAt, 20, 'the ZIP64 locator');
      if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipError('ZIP64 sizes without a ZIP64 locator (corrupt)');
      const record = this.#read(u64(locator, 8, 'the ZIP64 record offset'), 56, 'the ZIP64 end record');
      if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new ZipError('the ZIP64 end record is missing (corrupt)');
      count = u64(record, 32, 'the entry count');
      cdSize = u64(record, 40, 'the directory size');
      cdOffset = u64(record, 48, 'the directory offset');
    }
    if (count > this.#limits.maxEntries) throw new ZipError(`${count} entries, over the limit of ${this.#limits.maxEntries}`);
    // At least 46 bytes per entry: a count the directory cannot hold is a lie, not an allocation to make.
    if (cdSize < count * 46) throw new ZipError(`the directory claims ${count} entries in ${cdSize} bytes (corrupt)`);
    const cd = this.#read(cdOffset, cdSize, 'the central directory');
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipError(`central directory entry ${i + 1} of ${count} is damaged`);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw new ZipError(`central directory entry ${i + 1} of ${count} runs past the directory (corrupt)`);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      const entry: ZipEntry = {
        name,
        flags: cd.readUInt16LE(p + 8),
        method: cd.readUInt16LE(p + 10),
        crc32: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
      };
      this.#applyZip64Extra(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
      if (entry.localHeaderOffset + 30 + entry.compressedSize > cdOffset) throw new ZipError(`${name}: its data runs into the central directory (truncated or corrupt)`);
      entries.push(entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }

  /** Sizes and offsets over 4 GB live in the ZIP64 extra field, in this order, only when the 32-bit field is all ones. */
  #applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
    if (entry.size !== 0xffffffff && entry.compressedSize !== 0xffffffff && entry.localHeaderOffset !== 0xffffffff) return;
    for (let q = 0; q + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(q);
      const length = extra.readUInt16LE(q + 2);
      if (id === 0x0001) {
        let r = q + 4;
        const next = (field: string): number => {
          if (r + 8 > q + 4 + length) throw new ZipError(`${entry.name}: ZIP64 extra field too short for the ${field}`);
          const v = u64(extra, r, `${entry.name}: ${field}`);
          r += 8;
          return v;
        };
        if (entry.size === 0xffffffff) entry.size = next('size');
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next('compressed size');
        if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next('offset');
        return;
      }
      q += 4 + length;
    }
    throw new ZipError(`${entry.name}: ZIP64 sizes without a ZIP64 extra field (corrupt)`);
  }

  /** The uncompressed bytes of one entry, checked against its size, its CRC-32 and the caps. */
  read(entry: ZipEntry): Buffer {
    const { name } = entry;
    if (entry.flags & 0x1) throw new ZipError(`${name}: encrypted entries are not supported`);
    if (entry.size > this.#limits.maxEntryBytes) throw new ZipError(`${name}: ${entry.size} bytes uncompressed, over the ${this.#limits.maxEntryBytes}-byte limit per entry (a zip bomb, or not an OSV record)`);
    if (this.#totalRead + entry.size > this.#limits.maxTotalBytes) throw new ZipError(`${name}: the archive uncompresses to more than the ${this.#limits.maxTotalBytes}-byte limit`);
    const header = this.#read(entry.localHeaderOffset, 30, `${name}: the local header`);
    if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipError(`${name}: no local header where the directory says (corrupt)`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const compressed = this.#read(dataStart, entry.compressedSize, `${name}: the compressed data`);
    let data: Buffer;
    if (entry.method === 0) {
      data = compressed;
    } else if (entry.method === 8) {
      try {
        // Never more than the declared size: an entry that lies about it stops here, not in memory.
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new ZipError(`${name}: inflates to more than its declared ${entry.size} bytes (corrupt, or a zip bomb)`);
        throw new ZipError(`${name}: the compressed data is damaged (${e.message})`);
      }
    } else {
      throw new ZipError(`${name}: compression method ${entry.method} is not supported (only stored and deflate)`);
    }
    if (data.length !== entry.size) throw new ZipError(`${name}: ${data.length} bytes where the directory says ${entry.size} (corrupt or tampered)`);
    if (crc32(data) >>> 0 !== entry.crc32) throw new ZipError(`${name}: CRC-32 mismatch (corrupt or tampered)`);
    this.#totalRead += data.length;
    return data;
  }
}

/** Whether the file starts like a ZIP archive (a local header, or the end record of an empty one). */
export function looksLikeZip(head: Buffer): boolean {
  if (head.length < 4) return false;
  const sig = head.readUInt32LE(0);
  return sig === LOCAL_SIGNATURE || sig === EOCD_SIGNATURE;
}
