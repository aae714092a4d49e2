// The ZIP reader against archives written by the writer and by hand-damaged copies: truncation,
// tampering, entries that lie about their size, entries over the cap, ZIP64.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ZipError, ZipReader, type ZipLimits } from '../../src/vuln/zip-reader.js';
import { ZipWriter, writeZip } from '../../src/vuln/zip-writer.js';
import { tempDir } from '../helpers/cli.js';

const LIMITS: ZipLimits = { maxEntryBytes: 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024, maxEntries: 200_000 };

function readAll(path: string, limits = LIMITS): Map<string, string> {
  const zip = ZipReader.open(path, limits);
  try {
    return new Map(zip.entries.map((e) => [e.name, zip.read(e).toString()]));
  } finally {
    zip.close();
  }
}

function sample(dir: string): string {
  const path = join(dir, 'sample.zip');
  writeZip(path, [
    { name: 'a.json', data: '{"id":"A"}' },
    { name: 'dir/b.json', data: 'x'.repeat(10_000) },
    { name: 'stored.json', data: '{"id":"S"}', store: true },
    { name: 'empty.json', data: '' },
  ]);
  return path;
}

describe('zip reader', () => {
  it('reads deflated, stored and empty entries', () => {
    const entries = readAll(sample(tempDir()));
    assert.deepEqual([...entries.keys()], ['a.json', 'dir/b.json', 'stored.json', 'empty.json']);
    assert.equal(entries.get('a.json'), '{"id":"A"}');
    assert.equal(entries.get('dir/b.json'), 'x'.repeat(10_000));
    assert.equal(entries.get('stored.json'), '{"id":"S"}');
    assert.equal(entries.get('empty.json'), '');
  });

  it('reads ZIP64 archives with more than 65,535 entries (the size of osv.dev\'s npm export)', () => {
    const path = join(tempDir(), 'many.zip');
    const zip = new ZipWriter(path);
    for (let i = 0; i < 70_000; i++) zip.add({ name: `${i}.json`, data: `${i}`, store: true });
    zip.close();
    const reader = ZipReader.open(path, LIMITS);
    assert.equal(reader.entries.length, 70_000);
    assert.equal(reader.read(reader.entries[69_999]!).toString(), '69999');
    reader.close();
  });

  it('a truncated archive: no end record', () => {
    const path = sample(tempDir());
    const bytes = readFileSync(path);
    for (const keep of [bytes.length - 10, Math.floor(bytes.length / 2), 30, 3, 0]) {
      writeFileSync(path, bytes.subarray(0, keep));
      assert.throws(() => readAll(path), (e: unknown) => e instanceof ZipError && /truncated|too short/.test(e.message), `kept ${keep} bytes`);
    }
  });

  it('data cut out of the middle: the directory points past what is there', () => {
    const path = sample(tempDir());
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 40), bytes.subarray(200)]));
    assert.throws(() => readAll(path), ZipError);
  });

  it('a flipped byte in the compressed data: CRC or inflate error naming the entry', () => {
    const path = join(tempDir(), 't.zip');
    writeZip(path, [{ name: 'GHSA-x.json', data: '{"id":"GHSA-x","modified":"2025-01-01T00:00:00Z"}', store: true }]);
    const bytes = readFileSync(path);
    const at = 30 + 'GHSA-x.json'.length + 8;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    writeFileSync(path, bytes);
    assert.throws(() => readAll(path), /GHSA-x\.json: CRC-32 mismatch \(corrupt or tampered\)/);
  });

  it('an entry that inflates past its declared size stops at the declared size (zip bomb)', () => {
    const path = join(tempDir(), 'bomb.zip');
    writeZip(path, [{ name: 'bomb.json', data: Buffer.alloc(512 * 1024) }]);
    const bytes = readFileSync(path);
    // Declare 1 KB uncompressed in the central directory; the data inflates to 512 KB.
    const cd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(1024, cd + 24);
    writeFileSync(path, bytes);
    assert.throws(() => readAll(path), /bomb\.json: inflates to more than its declared 1024 bytes/);
  });

  it('an entry declared larger than the cap is refused before inflating', () => {
    const path = join(tempDir(), 'big.zip');
    writeZip(path, [{ name: 'big.json', data: Buffer.alloc(2 * 1024 * 1024) }]);
    assert.throws(() => readAll(path), /big\.json: 2097152 bytes uncompressed, over the 1048576-byte limit per entry/);
  });

  it('a total over the archive cap is refused', () => {
    const path = join(tempDir(), 'total.zip');
    writeZip(path, Array.from({ length: 5 }, (_, i) => ({ name: `${i}.json`, data: Buffer.alloc(900 * 1024) })));
    assert.throws(() => readAll(path, { ...LIMITS, maxTotalBytes: 3 * 1024 * 1024 }), /uncompresses to more than/);
  });

  it('too many entries, a lying entry count, an unknown compression method, not a zip', () => {
    const dir = tempDir();
    const path = sample(dir);
    assert.throws(() => readAll(path, { ...LIMITS, maxEntries: 2 }), /4 entries, over the limit of 2/);

    const lying = readFileSync(path);
    const eocd = lying.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    lying.writeUInt16LE(60_000, eocd + 10);
    writeFileSync(path, lying);
    assert.throws(() => readAll(path), /claims 60000 entries/);

    const bzip = join(dir, 'method.zip');
    writeZip(bzip, [{ name: 'a.json', data: 'x' }]);
    const m = readFileSync(bzip);
    m.writeUInt16LE(12, m.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    writeFileSync(bzip, m);
    assert.throws(() => readAll(bzip), /compression method 12 is not supported/);

    const text = join(dir, 'text.zip');
    writeFileSync(text, 'just some text, long enough to look for an end record in it');
    assert.throws(() => readAll(text), /no end-of-central-directory record/);
  });

  it('damaged deflate data is a ZipError, not a zlib crash', () => {
    const path = join(tempDir(), 'deflate.zip');
    const payload = deflateRawSync(Buffer.from('{"id":"A"}'.repeat(100)));
    writeZip(path, [{ name: 'a.json', data: '{"id":"A"}'.repeat(100) }]);
    const bytes = readFileSync(path);
    const start = 30 + 'a.json'.length;
    bytes.fill(0xff, start, start + Math.min(8, payload.length));
    writeFileSync(path, bytes);
    assert.throws(() => readAll(path), (e: unknown) => e instanceof ZipError && /a\.json: /.test(e.message));
  });
});
