// Consent before connecting. Inspecting a stdio server means running the command a config file
// names, and a project's config may come from a repository someone else wrote: Warden shows
// every command it would run and asks first on a terminal; without a terminal it runs them only
// with --yes. A repository's remote servers are asked about too (its URL could point anywhere
// inside the user's network); the user's own remote servers are simply connected to.
import { createInterface } from 'node:readline/promises';
import type { ServerDecl, ServerInspection } from '../core/types.js';
import { publicServer } from '../report/public-inventory.js';
import { escapeInvisible } from '../detect/unicode.js';

export type ConnectScope = 'all' | 'user';

export interface ConsentOptions {
  scope: ConnectScope;
  /** --yes: consent given in advance (CI). */
  yes: boolean;
  /** Asks the user one question and returns the answer; absent when there is no terminal. */
  ask?: (question: string) => Promise<string>;
}

export interface ConnectPlan {
  run: ServerDecl[];
  /** Not started, each with the reason the report shows. */
  skipped: ServerInspection[];
}

/** `--connect` alone means every server; `--connect=user` only those outside repositories. */
export function parseConnectScope(value: string | boolean): ConnectScope {
  if (value === true || value === 'all') return 'all';
  if (value === 'user') return 'user';
  throw new Error(`--connect: expected "user" or "all", got "${String(value)}"`);
}

function skip(decl: ServerDecl, reason: string): ServerInspection {
  return { serverId: decl.id, server: decl.name, client: decl.client, scope: decl.scope, status: 'skipped', reason, definitions: [], durationMs: 0 };
}

/** What the prompt shows for one server: the command line (secrets redacted) or the URL. */
export function describeLaunch(decl: ServerDecl): string {
  const s = publicServer(decl);
  const what = s.url ?? [s.command ?? '', ...s.args].join(' ');
  return escapeInvisible(`${s.scope.padEnd(7)} ${s.client}/${s.name}: ${what}${s.cwd ? `  (in ${s.cwd})` : ''}`);
}

function needsConsent(decl: ServerDecl): boolean {
  return decl.transport === 'stdio' || decl.scope === 'project';
}

export async function planConnections(decls: readonly ServerDecl[], o: ConsentOptions): Promise<ConnectPlan> {
  const run: ServerDecl[] = [];
  const skipped: ServerInspection[] = [];
  const pending: ServerDecl[] = [];
  for (const d of decls) {
    if (d.disabled) skipped.push(skip(d, 'disabled in the client\'s configuration'));
    else if (o.scope === 'user' && d.scope === 'project') skipped.push(skip(d, 'declared by a project; --connect=user connects only to servers outside repositories'));
    else if (!needsConsent(d) || o.yes) run.push(d);
    else pending.push(d);
  }
  if (pending.length === 0) return { run, skipped };
  if (!o.ask) {
    for (const d of pending) skipped.push(skip(d, `not started: it runs a command or is declared by a project, and there was no terminal to ask; pass --yes to allow`));
    return { run, skipped };
  }
  const projectOnes = pending.filter((d) => d.scope === 'project');
  const question = [
    `Warden will start or contact these ${pending.length} MCP servers to list their tools (it never calls a tool):`,
    ...pending.map((d) => `  ${describeLaunch(d)}`),
    projectOnes.length > 0
      ? `${projectOnes.length} of them come from a project's configuration, which a repository can write. Run all (a), only the ones outside projects (u), or none (N)? `
      : 'Run them? (y/N) ',
  ].join('\n');
  const answer = (await o.ask(question)).trim().toLowerCase();
  const all = answer === 'a' || answer === 'all' || (projectOnes.length === 0 && (answer === 'y' || answer === 'yes'));
  const userOnly = answer === 'u' || answer === 'user';
  for (const d of pending) {
    if (all || (userOnly && d.scope !== 'project')) run.push(d);
    else skipped.push(skip(d, 'not started: declined at the prompt'));
  }
  return { run, skipped };
}

/** A question on the terminal, when there is one: stdin and stderr both TTYs (stdout may be a pipe to a file). */
export function terminalAsker(): ConsentOptions['ask'] {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
