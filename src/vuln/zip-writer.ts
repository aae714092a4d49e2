// Writes a ZIP archive the way osv.dev's exports are laid out (deflated JSON entries, ZIP64 end
// records past 65,535 entries). Warden itself only reads OSV exports; this exists so the tests and
// the benchmark build their exports from data instead of checking in binaries, and so the reader
// is exercised against an independent writer of the format rather than only against itself.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** Store instead of deflating. */
  store?: boolean;
}

/** Streams entries to `path`; memory holds the central directory, not the data. */
export class ZipWriter {
  readonly #fd: number;
  #offset = 0;
  readonly #central: Buffer[] = [];
  #count = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
  }

  #write(buf: Buffer): void {
    writeSync(this.#fd, buf);
    this.#offset += buf.length;
  }

  add(entry: ZipInput): void {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    const data = entry.store ? raw : deflateRawSync(raw);
    const name = Buffer.from(entry.name);
    const crc = crc32(raw) >>> 0;
    const method = entry.store ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(this.#offset, 42);
    this.#central.push(central, name);
    this.#write(Buffer.concat([local, name]));
    this.#write(data);
    this.#count++;
  }

  close(): void {
    const cdOffset = this.#offset;
    const cd = Buffer.concat(this.#central);
    this.#write(cd);
    const zip64 = this.#count > 0xfffe;
    if (zip64) {
      const recordOffset = this.#offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(45, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.#count), 24);
      record.writeBigUInt64LE(BigInt(this.#count), 32);
      record.writeBigUInt64LE(BigInt(cd.length), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(recordOffset), 8);
      locator.writeUInt32LE(1, 16);
      this.#write(Buffer.concat([record, locator]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(zip64 ? 0xffff : this.#count, 8);
    eocd.writeUInt16LE(zip64 ? 0xffff : this.#count, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    this.#write(eocd);
    closeSync(this.#fd);
  }
}

/** A whole archive in one call. */
export function writeZip(path: string, entries: readonly ZipInput[]): void {
  const zip = new ZipWriter(path);
  for (const e of entries) zip.add(e);
  zip.close();
}
