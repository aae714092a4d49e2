// The kill switch: while the kill file exists, the gateway refuses every call (and hides nothing
// else: the client can still list and see why). The file lives outside any project the agent works
// in (`~/.warden/kill` by default); its first line, if any, is the reason shown to the agent. The
// control plane's switch (issue 6) plugs in beside it through the same interface.
import { readFileSync, statSync } from 'node:fs';

export interface KillSwitch {
  /** The reason when engaged, else undefined. Called for every call: must be cheap. */
  engaged(): string | undefined;
}

/** How long a look at the kill file is reused: engaging it takes effect within this. */
const RECHECK_MS = 100;

export class KillFile implements KillSwitch {
  #checkedAt = -Infinity;
  #reason: string | undefined;

  constructor(
    readonly path: string,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  engaged(): string | undefined {
    const now = this.clock();
    if (now - this.#checkedAt < RECHECK_MS) return this.#reason;
    this.#checkedAt = now;
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (!st) return (this.#reason = undefined);
    let first = '';
    try {
      if (st.isFile() && st.size <= 64 * 1024) first = readFileSync(this.path, 'utf8').split('\n')[0]!.trim().slice(0, 300);
    } catch {
      // Unreadable but present: still engaged.
    }
    return (this.#reason = `the kill switch is engaged (${this.path})${first ? `: ${first}` : ''}`);
  }
}
