// Builds rule subjects from a rule's own cases, the way the scan engine builds them from disk.
import type { DefinitionKind, McpDefinition, ServerDecl } from '../../src/core/types.js';
import { definitionTexts } from '../../src/inspect/texts.js';
import { parseConfig } from '../../src/parse/document.js';
import type { RuleCase, Rule, RuleHit } from '../../src/rules/rule.js';

export function serverDecl(partial: Partial<ServerDecl>): ServerDecl {
  return {
    id: `test:${partial.name ?? 'server'}`,
    name: 'server',
    client: 'claude-code',
    scope: 'user',
    transport: partial.url && !partial.command ? 'http' : 'stdio',
    args: [],
    env: {},
    headers: {},
    disabled: false,
    file: '/home/user/.claude.json',
    pointer: '/mcpServers/server',
    line: 1,
    column: 1,
    ...partial,
  };
}

/** A definition as a live server would list it; `name` stands in for a resource's uri. */
export function definition(raw: Record<string, unknown>, kind: DefinitionKind = 'tool'): McpDefinition {
  const name = kind === 'instructions' ? 'instructions' : String(raw['name'] ?? raw['uri'] ?? raw['uriTemplate'] ?? '');
  return { kind, name, raw };
}

/** Runs one case through whichever check the rule has for that subject; undefined if it has none. */
export async function runCase(rule: Rule, c: RuleCase): Promise<RuleHit[] | undefined> {
  if ('server' in c) {
    if (!rule.checkServer) return undefined;
    const server = serverDecl(c.server);
    return rule.checkServer({
      server,
      allServerNames: new Set([server.name]),
      ...(c.allowlist ? { allowlist: { file: '/allowlist.yaml', entries: c.allowlist } } : {}),
    });
  }
  if ('config' in c) {
    if (!rule.checkConfig) return undefined;
    const ext = c.config.format === 'toml' ? 'toml' : c.config.format === 'yaml' ? 'yaml' : 'json';
    const doc = parseConfig(`/home/user/config.${ext}`, c.config.text, c.config.format);
    return rule.checkConfig({ client: c.config.client, scope: c.config.scope ?? 'user', doc, mode: c.config.mode ?? 0o600 });
  }
  if ('coverage' in c) {
    if (!rule.checkCoverage) return undefined;
    return rule.checkCoverage({ client: 'cursor', scope: 'project', os: ['linux'], path: '/repo/.cursor/mcp.json', status: 'found', ...c.coverage });
  }
  if ('tool' in c) {
    if (!rule.checkDefinition) return undefined;
    const def = definition(c.tool, c.kind);
    return rule.checkDefinition({
      def,
      texts: definitionTexts(def).texts,
      server: 'test-server',
      client: 'claude-code',
      siblings: new Set([def.name, ...(c.siblings ?? [])]),
      ...(c.verdict ? { verdict: c.verdict } : {}),
    });
  }
  if ('inspection' in c) {
    if (!rule.checkInspection) return undefined;
    return rule.checkInspection({ serverId: 'test:server', server: 'server', client: 'cursor', scope: 'user', status: 'ok', definitions: [], durationMs: 10, ...c.inspection });
  }
  if ('drift' in c) {
    if (!rule.checkDrift) return undefined;
    return rule.checkDrift({ drift: c.drift.kind !== 'not-checked', key: 'cursor/server', server: 'server', client: 'cursor', scope: 'user', summary: 'changed', diff: '', changes: [], ...c.drift });
  }
  if ('toolset' in c) {
    if (!rule.checkDefinitionSet) return undefined;
    return rule.checkDefinitionSet({ client: 'claude-code', entries: c.toolset.map((t) => ({ server: t.server, def: definition(t.tool) })) });
  }
  if (!rule.checkInstruction) return undefined;
  return rule.checkInstruction({
    path: '/repo/CLAUDE.md',
    kind: c.instruction.kind ?? 'claude-md',
    scope: c.instruction.scope ?? 'project',
    text: c.instruction.text,
  });
}
