// Pinned tool definitions at run time: the lockfile `warden pin` wrote says what each tool of a
// server looked like when someone reviewed it. A tool whose definition now differs (a rug pull:
// new description, new parameter, other annotations) is hidden from tools/list and its calls are
// refused until it is re-pinned. A tool with no entry passes unless the policy requires pinning.
import { definitionHash } from '../inspect/canonical.js';
import { definitionKey, readLockfile, type LockedServer } from '../inspect/lockfile.js';
import type { Json } from './messages.js';

export type PinVerdict = { ok: true } | { ok: false; rule: 'pinning.changed' | 'pinning.required'; reason: string };

export class PinSet {
  constructor(
    /** `tool:<name>` → `sha256:<hex>` of the pinned canonical definition. */
    private readonly pins: ReadonlyMap<string, string>,
    private readonly require: boolean,
    private readonly lockfile: string,
  ) {}

  /**
   * The pins for `server` from the lockfile at `path`: the entry with that name, preferring the
   * one declared by `client` when several clients declare a server of that name. No lockfile and
   * `require` false: undefined (nothing to enforce).
   */
  static load(path: string | undefined, server: string, require: boolean, client?: string): PinSet | undefined {
    const lock = path ? readLockfile(path) : undefined;
    if (!lock) return require ? new PinSet(new Map(), true, path ?? '(no lockfile)') : undefined;
    const entries = Object.values(lock.servers).filter((s) => s.name === server);
    const entry: LockedServer | undefined = entries.find((s) => s.client === client) ?? entries[0];
    const pins = new Map<string, string>();
    for (const [key, def] of Object.entries(entry?.definitions ?? {})) pins.set(key, def.sha256);
    return new PinSet(pins, require, path!);
  }

  /** Judges one tool definition as the server sent it. */
  check(tool: Json): PinVerdict {
    const name = String(tool['name']);
    const pinned = this.pins.get(definitionKey('tool', name));
    if (pinned === undefined) {
      return this.require ? { ok: false, rule: 'pinning.required', reason: `tool "${name}" is not pinned in ${this.lockfile} and the policy requires pinning; review it and run \`warden pin\`` } : { ok: true };
    }
    if (definitionHash({ kind: 'tool', raw: tool }) === pinned) return { ok: true };
    return { ok: false, rule: 'pinning.changed', reason: `tool "${name}" differs from its pinned definition in ${this.lockfile} (changed since review); run \`warden verify\` to see how, and \`warden pin --update\` if the change is wanted` };
  }

  /** For a call to a tool whose current definition the session has not seen. */
  unseen(name: string): PinVerdict {
    return { ok: false, rule: this.pins.has(definitionKey('tool', name)) ? 'pinning.changed' : 'pinning.required', reason: `tool "${name}" was not in the server's tool list, so it cannot be checked against the pinned definitions` };
  }
}
