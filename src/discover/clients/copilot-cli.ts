import type { ClientSpec } from '../spec.js';

// GitHub Copilot CLI (also the Copilot app, and Copilot harness sessions inside VS Code, which read
// the same portable files). `mcpServers` in ~/.copilot/mcp-config.json (`type` is local, stdio,
// http or sse) and, per repository, in .mcp.json or .github/mcp.json; plugins install under
// ~/.copilot/installed-plugins. permissions-config.json keeps approvals keyed by project path.
// Instructions: ~/.copilot/copilot-instructions.md, ~/.copilot/instructions/**/*.instructions.md,
// .github/copilot-instructions.md, .github/instructions/*.instructions.md, AGENTS.md, CLAUDE.md and
// GEMINI.md; skills in ~/.copilot/skills, ~/.agents/skills, .github/skills, .claude/skills, .agents/skills.
// Verified against: docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/add-custom-instructions
// (instruction locations), github/docs PR #41226 (mcp-config.json in ~/.copilot),
// microsoft/vscode-docs:docs/copilot/reference/mcp-configuration.md (portable .mcp.json format),
// snyk/agent-scan:src/agent_scan/agents/github_copilot.py (which cites the CLI config-dir reference:
// .github/mcp.json, installed-plugins, permissions-config.json `locations`).
const MCP = { at: [['mcpServers']] } as const;

export const copilotCli: ClientSpec = {
  id: 'copilot-cli',
  name: 'GitHub Copilot CLI',
  installMarkers: [{ path: '{home}/.copilot' }],
  configs: [
    { scope: 'user', path: '{home}/.copilot/mcp-config.json', format: 'json', servers: MCP },
    { scope: 'user', path: '{home}/.copilot/config.json', format: 'json', settings: true },
    { scope: 'user', path: '{home}/.copilot/permissions-config.json', format: 'json', settings: true, projectRootsAt: ['locations'] },
    { scope: 'plugin', path: '{home}/.copilot/installed-plugins/**/.mcp.json', format: 'json', servers: MCP },
    { scope: 'project', path: '.mcp.json', format: 'json', servers: MCP },
    { scope: 'project', path: '.github/mcp.json', format: 'json', servers: MCP },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.copilot/copilot-instructions.md', kind: 'copilot-instructions' },
    { scope: 'user', path: '{home}/.copilot/instructions/**/*.instructions.md', kind: 'copilot-instructions' },
    { scope: 'user', path: '{home}/.copilot/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.github/copilot-instructions.md', kind: 'copilot-instructions' },
    { scope: 'project', path: '.github/instructions/*.instructions.md', kind: 'copilot-instructions' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: 'GEMINI.md', kind: 'gemini-md' },
    { scope: 'project', path: '.github/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.agents/skills/*/SKILL.md', kind: 'skill' },
  ],
};
