// A child process for the durability test: opens the SQLite audit store at argv[2] and records
// events as fast as it can, printing each id only after record() has returned, until it is killed
// (or has written argv[3] events, so a parent that dies never leaves it running).
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const store = await openSqliteStore(process.argv[2]!);
const max = Number(process.argv[3] ?? 100_000);
for (let i = 0; i < max; i++) {
  const id = randomUUID();
  store.record({ id, time: new Date().toISOString(), agent: 'durability', method: 'tools/call', server: 's', tool: 't', args: { i }, decision: 'allow', rule: 'r', reason: 'test', outcome: 'forwarded' });
  // Written before the next record: the line is the acknowledgement the parent counts.
  process.stdout.write(`${id}\n`);
  // Let the pipe drain now and then, so a slow parent sees the lines while this runs.
  if (i % 64 === 63) await new Promise((r) => setImmediate(r));
}
store.close();
