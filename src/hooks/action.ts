// From a hook request to the Warden Actions it names: the agent's built-in tools (tools.ts) are
// shell commands, file reads and writes, and fetches; `mcp__server__tool` names are MCP tool calls.
// One request can name several targets (a patch touching three files, a prompt with two URLs):
// each is an action, and the strictest decision wins. classifyAction then names what each does.
import { homedir } from 'node:os';
import { isObject } from '../core/json.js';
import { classifyAction } from '../policy/classify.js';
import type { Action } from '../policy/types.js';
import { BUILT_IN_TOOLS, mcpTool, targetsOf } from './tools.js';
import type { HookAgent, HookRequest } from './types.js';

/** Codex surfaces a network approval as Bash with this description. */
const NETWORK_ACCESS = /^network-access\s+(\S+)/;

export function actionsFor(agent: HookAgent, req: HookRequest, home: string = homedir()): Action[] {
  return rawActions(agent, req).map((a) => classifyAction(a, { cwd: req.cwd, home }));
}

function rawActions(agent: HookAgent, req: HookRequest): Action[] {
  const base = { client: agent, agent: { name: agent }, ...(req.session ? { session: { id: req.session } } : {}) } satisfies Partial<Action>;
  const tool = req.tool;
  if (req.phase === 'prompt') return [{ ...base, kind: 'prompt', args: {} }];
  if (tool === undefined) return [];
  const input = req.input ?? {};
  const spec = BUILT_IN_TOOLS[agent][tool];
  if (spec) {
    const targets = targetsOf(spec, input, req.cwd);
    const out: Action[] = targets.map((t) => {
      if (spec.kind === 'shell') return { ...base, kind: 'shell', tool, args: { command: t, cwd: req.cwd } };
      if (spec.kind === 'fetch') return { ...base, kind: 'fetch', tool, args: spec.shape === 'query' ? { query: t } : { url: t } };
      return { ...base, kind: spec.kind, tool, args: { path: t } };
    });
    const network = spec.kind === 'shell' && typeof input['description'] === 'string' ? NETWORK_ACCESS.exec(input['description']) : null;
    if (network) out.push({ ...base, kind: 'fetch', tool, args: { url: network[1]! } });
    return out;
  }
  const mcp = mcpTool(agent, tool) ?? (req.server !== undefined ? { server: req.server, tool } : undefined);
  if (!mcp) return [];
  const server = mcp.server ?? req.server;
  return [{ ...base, kind: 'tool_call', ...(server ? { server } : {}), tool: mcp.tool, args: isObject(input) ? input : {} }];
}
