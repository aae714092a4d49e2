// `warden events`: read the audit store back: who did what, what the policy said, what happened.
// It opens the database read-only, so looking never blocks or changes what the gateway writes;
// `--follow` polls for rows past the last one seen, like `tail -f`.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createColors } from 'picocolors';
import { UsageError } from '../core/errors.js';
import { escapeInvisible as safe } from '../detect/unicode.js';
import type { AuditEvent, DecisionType } from '../store/audit-event.js';
import { toOtelRecord } from '../store/jsonl-store.js';
import { parseEventFilter, queryEvents, type EventFilter, type FilterOptions } from '../store/query.js';
import { recoverSpools } from '../store/spool.js';
import { spoolDirOf } from '../store/audit-paths.js';
import { AuditStoreError, DECISION_TYPES, defaultAuditDbPath, openSqliteStore, type SqliteAuditStore } from '../store/sqlite-store.js';

export const FOLLOW_INTERVAL_MS = 250;
/** Rows per poll while following: a burst is drained in pages rather than one huge read. */
const FOLLOW_PAGE = 1000;

interface EventsOptions extends FilterOptions {
  db?: string;
  follow?: boolean;
  format?: 'table' | 'json';
  color?: boolean;
}

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description(
      'Show the audit log (every decision the gateway and hooks recorded), newest last.\n' +
        'Times: an ISO time (2026-05-01, 2026-05-01T12:00:00Z; no zone means local) or a time ago (30s, 15m, 2h, 7d).',
    )
    .option('--db <file>', 'the audit database (default: ~/.warden/audit.db, or $WARDEN_HOME/audit.db)')
    .option('--since <time>', 'only events at or after TIME')
    .option('--until <time>', 'only events at or before TIME')
    .option('--agent <name>', 'only this agent client')
    .option('--server <name>', 'only this server')
    .option('--tool <glob>', 'only tools matching GLOB (* ? [a-z] {a,b}; * stops at /, ** does not)')
    .addOption(new Option('--decision <type>', 'only this decision').choices(DECISION_TYPES))
    .option('--rule <id>', 'only events decided by this rule')
    .option('--session <id>', 'only this session')
    .option('--outcome <outcome>', 'only this outcome (forwarded, blocked, redacted, error, ...)')
    .option('-n, --limit <n>', 'the newest N matching events (default 100)')
    .option('--follow', `then keep printing new events as they are recorded (checked every ${FOLLOW_INTERVAL_MS} ms) until Ctrl-C`)
    .addOption(new Option('-f, --format <format>', 'table, or json: one JSON object per line with OpenTelemetry attribute names').choices(['table', 'json']).default('table'))
    .option('--no-color', 'never colour the table')
    .action(async (options: EventsOptions) => {
      process.exitCode = await runEvents(options);
    });
}

export async function runEvents(o: EventsOptions): Promise<number> {
  // Options first: a typo exits 2 whether or not there is a database yet.
  const filter = parseEventFilter(o);
  const path = resolve(o.db ?? defaultAuditDbPath());
  const print = o.format === 'json' ? printJson : tablePrinter(Boolean(o.follow), o.color !== false && Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']);
  if (!o.follow) {
    if (!existsSync(path) && !hasSpooledEvents(path)) {
      process.stderr.write(`warden: no audit events yet: ${path} does not exist\n`);
      return 0;
    }
    const store = await open(path);
    try {
      const page = queryEvents(store, filter);
      print(page.events);
      if (page.events.length === 0) process.stderr.write(`warden: no events match in ${path}\n`);
    } finally {
      store.close();
    }
    return 0;
  }
  await follow(path, filter, print);
  return 0;
}

/** Events waiting in the store's spool folder: gateways' spools and the hooks' one-call files. */
function hasSpooledEvents(path: string): boolean {
  try {
    return readdirSync(spoolDirOf(path)).some((n) => n.endsWith('.jsonl'));
  } catch {
    return false;
  }
}

/** Moves spooled events into the store; `live` also reads running gateways' spools (left in place). */
async function ingestSpooled(path: string, live: boolean): Promise<void> {
  if (!hasSpooledEvents(path)) return;
  const writer = await openSqliteStore(path);
  try {
    recoverSpools(writer, { live, warn: (line) => process.stderr.write(`warden: ${line}\n`) });
  } finally {
    writer.close();
  }
}

async function open(path: string): Promise<SqliteAuditStore> {
  try {
    // Events still in spools (running gateways, ones that died, hook calls) first go into the store.
    await ingestSpooled(path, true);
    return await openSqliteStore(path, { readonly: true });
  } catch (err) {
    if (err instanceof AuditStoreError) throw new UsageError(err.message);
    throw err;
  }
}

/** Prints what is there, then every new matching row, until SIGINT/SIGTERM or the reader of stdout goes away. */
async function follow(path: string, filter: EventFilter, print: (events: AuditEvent[]) => void): Promise<void> {
  let store: SqliteAuditStore | undefined;
  let cursor: number | undefined;
  let failure: unknown;
  if (!existsSync(path)) process.stderr.write(`warden: no audit events yet: ${path} does not exist; waiting for it (Ctrl-C to stop)\n`);
  let stopped = false;
  await new Promise<void>((done) => {
    let busy = false;
    const poll = async () => {
      if (busy || stopped) return;
      busy = true;
      try {
        // A store that does not exist yet, or one no writer has set up, is opened again until it has an events table.
        if (!store?.hasEvents) {
          store?.close();
          store = existsSync(path) || hasSpooledEvents(path) ? await open(path) : undefined;
          // Interrupted while opening: nothing more to print, and follow() has already closed up.
          if (stopped) {
            store?.close();
            return;
          }
        }
        if (store?.hasEvents) {
          // Hook calls arrive as spool files; a running gateway moves its own spool in when it pauses.
          await ingestSpooled(path, false);
          for (;;) {
            const page = cursor === undefined ? queryEvents(store, filter) : queryEvents(store, { ...filter, after: cursor, limit: FOLLOW_PAGE });
            const first = cursor === undefined;
            cursor = page.cursor;
            print(page.events);
            if (first || page.events.length < FOLLOW_PAGE) break;
          }
        }
      } catch (err) {
        failure = err;
        stop();
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void poll(), FOLLOW_INTERVAL_MS);
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.off('error', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.stdout.on('error', stop);
    void poll();
  });
  store?.close();
  if (failure) throw failure;
}

function printJson(events: AuditEvent[]): void {
  if (events.length) process.stdout.write(events.map((e) => `${JSON.stringify(toOtelRecord(e))}\n`).join(''));
}

const COLUMNS = ['TIME', 'AGENT', 'SERVER', 'TOOL', 'DECISION', 'RULE', 'OUTCOME', 'LATENCY'] as const;
/** Widest a column grows; longer values are cut with an ellipsis. Following, every column is this wide from the start. */
const MAX_WIDTH = [19, 20, 20, 28, 8, 32, 16, 9] as const;

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

function cells(e: AuditEvent): string[] {
  // Every name may come from an agent or a server: escaped, so none can drive the terminal.
  const name = (s: string | undefined) => (s === undefined || s === '' ? '-' : safe(s));
  return [localTime(e.time), name(e.agent), name(e.server), name(e.tool), e.decision, name(e.rule), name(e.outcome), formatLatency(e.latencyMs)];
}

const cut = (s: string, w: number) => ([...s].length <= w ? s : `${[...s].slice(0, w - 1).join('')}…`);

/** A table printer; the header and widths are fixed by the first batch (all columns at full width when following). */
function tablePrinter(following: boolean, color: boolean): (events: AuditEvent[]) => void {
  const c = createColors(color);
  const paint: Record<DecisionType, (s: string) => string> = { allow: c.green, deny: (s) => c.bold(c.red(s)), modify: c.yellow, audit: c.cyan };
  let widths: number[] | undefined;
  return (events) => {
    const rows = events.map(cells);
    const out: string[] = [];
    if (!widths) {
      if (!following && rows.length === 0) return;
      widths = MAX_WIDTH.map((max, i) => (following ? max : Math.min(max, Math.max(COLUMNS[i]!.length, ...rows.map((r) => [...r[i]!].length)))));
      out.push(c.dim(line([...COLUMNS], widths)));
    }
    for (const [i, r] of rows.entries()) out.push(line(r, widths, paint[events[i]!.decision]));
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  };
}

function line(values: string[], widths: number[], decisionColor?: (s: string) => string): string {
  return values
    .map((v, i) => {
      const text = cut(v, widths[i]!);
      // Latency is a number: right-aligned; the last column needs no trailing spaces.
      const padded = i === values.length - 1 ? text.padStart(widths[i]!) : text.padEnd(widths[i]! + (text.length - [...text].length));
      return i === 4 && decisionColor ? decisionColor(padded) : padded;
    })
    .join('  ');
}
