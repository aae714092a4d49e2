// `warden hook <agent> [event] [--policy FILE] [--preset NAME]`: the entry of dist/hook.cjs, the
// one bundled file an agent starts for every action it takes. Kept free of the CLI framework and
// of everything else Warden does; heavy detectors are imported when a call needs them. A deadline
// (WARDEN_HOOK_TIMEOUT_MS, default 10 s, shorter than the timeouts `warden install --hooks`
// writes) answers with a deny, so a slow decision is Warden's deny, never the agent's timeout,
// which every agent treats as allow.
import { writeSync } from 'node:fs';
import { wardenHome } from '../core/warden-home.js';
import { VERSION } from '../core/version.js';
import { MAX_PAYLOAD_BYTES } from './payload.js';
import { protocolFor, runHook } from './run.js';
import { HOOK_AGENTS, type HookAgent, type HookAnswer } from './types.js';

const USAGE = `usage: warden hook <${HOOK_AGENTS.join('|')}> [EVENT] [--policy FILE] [--preset NAME]
Reads one hook payload from standard input and answers in the agent's hook protocol.
Installed by \`warden install --hooks AGENT\`; see docs/HOOK-PROTOCOLS.md.`;

const DEFAULT_DEADLINE_MS = 10_000;

/**
 * Standard input, read through Node's stream for it (an event-loop handle): the deadline still
 * fires when a writer never closes it, and the process can exit then (a read parked in libuv's
 * thread pool would keep even process.exit() waiting). Stops one byte past the limit: the caller
 * refuses that.
 */
function readStdin(limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => resolve(Buffer.concat(chunks, total));
    process.stdin.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > limit) {
        process.stdin.destroy();
        done();
      }
    });
    process.stdin.on('end', done);
    process.stdin.on('error', reject);
  });
}

function emit(answer: HookAnswer): void {
  if (answer.stdout) writeSync(1, answer.stdout);
  if (answer.stderr) writeSync(2, answer.stderr);
  process.exitCode = answer.exitCode;
}

interface Parsed {
  agent?: HookAgent;
  event?: string;
  policy?: string;
  preset?: string;
  error?: string;
}

function parseArgs(args: readonly string[]): Parsed {
  const out: Parsed = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (flag: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const next = args[++i];
      if (next === undefined) out.error = `${flag} needs a value`;
      return next;
    };
    if (a === '--policy' || a.startsWith('--policy=')) out.policy = value('--policy');
    else if (a === '--preset' || a.startsWith('--preset=')) out.preset = value('--preset');
    else if (a === '-h' || a === '--help') out.error = '';
    else if (a.startsWith('-')) out.error = `unknown option ${a}`;
    else positional.push(a);
  }
  const [agent, event, ...rest] = positional;
  if (agent === undefined) out.error ??= 'which agent? name one';
  else if (!(HOOK_AGENTS as readonly string[]).includes(agent)) out.error ??= `unknown agent "${agent}"`;
  else out.agent = agent as HookAgent;
  if (event !== undefined) out.event = event;
  if (rest.length) out.error ??= `unexpected argument ${rest[0]}`;
  return out;
}

/** Runs the hook for `args` (what follows `hook` on the command line); `build` names this build for the policy cache. */
export async function hookMain(args: readonly string[], build: string = VERSION): Promise<void> {
  const startedAt = Number(process.hrtime.bigint()) / 1e6;
  const parsed = parseArgs(args);
  if (parsed.error !== undefined || !parsed.agent) {
    // Without a known agent there is no protocol to deny in: exit 2 with the reason is what
    // Claude Code, Codex, Cursor and Gemini CLI all read as a block.
    writeSync(2, `${parsed.error ? `warden hook: ${parsed.error}\n` : ''}${USAGE}\n`);
    process.exitCode = parsed.error === '' ? 0 : 2;
    return;
  }
  const agent = parsed.agent;
  const deadlineMs = Number(process.env['WARDEN_HOOK_TIMEOUT_MS']) > 0 ? Number(process.env['WARDEN_HOOK_TIMEOUT_MS']) : DEFAULT_DEADLINE_MS;
  const deadline = setTimeout(() => {
    emit(protocolFor(agent, parsed.event).failClosed(parsed.event, `Warden did not decide within ${deadlineMs} ms; denied to be safe.`));
    process.exit();
  }, deadlineMs);
  let stdin: Buffer;
  try {
    stdin = await readStdin(MAX_PAYLOAD_BYTES);
  } catch (err) {
    clearTimeout(deadline);
    emit(protocolFor(agent, parsed.event).failClosed(parsed.event, `Warden could not read the hook payload from standard input (${(err as Error).message}).`));
    return;
  }
  const answer = await runHook({
    agent,
    ...(parsed.event ? { event: parsed.event } : {}),
    ...(parsed.policy ? { policy: parsed.policy } : {}),
    ...(parsed.preset ? { preset: parsed.preset } : {}),
    stdin,
    wardenHome: wardenHome(),
    build,
    startedAt,
  });
  clearTimeout(deadline);
  emit(answer);
}
