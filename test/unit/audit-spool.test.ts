// The gateway's write-ahead spool in front of the SQLite store (real SQLite, real files): events
// reach the store when the writer pauses or the spool fills, a dead writer's spool is ingested and
// removed, a live one's is read but left, torn and foreign lines are skipped, ingesting twice
// stores once, and nothing is lost when the store refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uuid7 } from '../../src/core/uuid7.js';
import type { AuditEvent } from '../../src/store/audit-event.js';
import { queryEvents } from '../../src/store/query.js';
import { recoverSpools, spoolDir, SpooledSink } from '../../src/store/spool.js';
import { openSqliteStore, type SqliteAuditStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';

const event = (n: number): AuditEvent => ({ id: uuid7(), time: new Date().toISOString(), method: 'tools/call', tool: `t${n}`, decision: 'allow', rule: 'r', reason: 'why', outcome: 'forwarded' });
const count = (store: SqliteAuditStore) => queryEvents(store, { limit: 100_000 }).events.length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('audit spool', () => {
  it('acknowledges at once, and moves events into the store when the writer pauses', async () => {
    const store = await openSqliteStore(join(tempDir(), 'audit.db'));
    const sink = new SpooledSink(store);
    sink.record(event(1));
    sink.recordMany([event(2), event(3)]);
    assert.equal(statSync(sink.path).mode & 0o777, 0o600);
    assert.equal(readFileSync(sink.path, 'utf8').trim().split('\n').length, 3, 'on disk before the store has them');
    assert.equal(count(store), 0);
    await sleep(250);
    assert.equal(count(store), 3);
    assert.equal(statSync(sink.path).size, 0, 'emptied once ingested');
    sink.close();
    assert.equal(existsSync(sink.path), false, 'an empty spool is removed on close');
  });

  it('ingests under sustained load without waiting for a pause', async () => {
    const store = await openSqliteStore(join(tempDir(), 'audit.db'));
    const sink = new SpooledSink(store);
    for (let i = 0; i < 12_000; i++) sink.record(event(i));
    assert.ok(count(store) >= 10_000, `${count(store)} stored while the writer never paused`);
    sink.close();
  });

  it('a dead writer\'s spool is ingested and removed, torn and foreign lines skipped, twice stored once', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(join(dir, 'audit.db'));
    mkdirSync(spoolDir(store), { recursive: true });
    const dead = join(spoolDir(store), '999999999-deadbeef.jsonl');
    const events = [event(1), event(2)];
    writeFileSync(dead, `${events.map((e) => JSON.stringify(e)).join('\n')}\nnot json\n{"no":"id"}\n{"id":"torn`);
    const warnings: string[] = [];
    assert.equal(recoverSpools(store, { warn: (w) => warnings.push(w) }), 2);
    assert.equal(existsSync(dead), false);
    assert.ok(warnings.some((w) => /2 line\(s\) that are not audit events/.test(w)), warnings.join());
    writeFileSync(dead, `${JSON.stringify(events[0])}\n`);
    recoverSpools(store);
    assert.equal(count(store), 2, 'the same id is stored once');
    store.close();
  });

  it('a live writer\'s spool is read only when asked, and left in place', async () => {
    const store = await openSqliteStore(join(tempDir(), 'audit.db'));
    mkdirSync(spoolDir(store), { recursive: true });
    const live = join(spoolDir(store), `${process.ppid}-00000000.jsonl`);
    writeFileSync(live, `${JSON.stringify(event(1))}\n`);
    assert.equal(recoverSpools(store), 0, 'not without live');
    assert.equal(recoverSpools(store, { live: true }), 1);
    assert.equal(existsSync(live), true);
    store.close();
  });

  it('a store that refuses keeps the spool: nothing acknowledged is lost', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(join(dir, 'audit.db'));
    const sink = new SpooledSink(store, () => {});
    sink.record(event(1));
    store.db.close(); // the store goes away under the writer
    sink.ingest();
    assert.equal(readFileSync(sink.path, 'utf8').trim().split('\n').length, 1);
    const path = sink.path;
    assert.doesNotThrow(() => sink.close());
    assert.equal(existsSync(path), true, 'kept for the next start');
    const again = await openSqliteStore(join(dir, 'audit.db'));
    assert.equal(recoverSpools(again), 1);
    assert.equal(count(again), 1);
    assert.deepEqual(readdirSync(spoolDir(again)), []);
    again.close();
  });

  it('an unwritable spool folder fails at start with the path named', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(join(dir, 'audit.db'));
    appendFileSync(spoolDir(store), 'a file where the folder should be');
    assert.throws(() => new SpooledSink(store), /audit\.db\.spool.*cannot open the audit spool/);
    store.close();
  });
});
