import type { ClientSpec } from '../spec.js';

// Amazon Q Developer (CLI and IDE plugins). The CLI's agents live in ~/.aws/amazonq/cli-agents/*.json
// and <workspace>/.amazonq/cli-agents/*.json, each with an `mcpServers` map and tool permissions
// (`allowedTools`); the IDE's default agent is ~/.aws/amazonq/agents/default.json. The older
// global ~/.aws/amazonq/mcp.json and workspace .amazonq/mcp.json are still read by agents with
// `useLegacyMcpJson`. Project rules (.amazonq/rules/**/*.md) have no InstructionKind yet.
// Verified against: docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/qdev-mcp.html (cli-agents,
// agents/default.json), .../command-line-mcp-config-CLI.html, .../mcp-ide.html,
// aws/amazon-q-developer-cli:docs/agent-format.md (mcpServers, useLegacyMcpJson);
// snyk/agent-scan:src/agent_scan/agents/partial/amazon_q.py.
const MCP = { at: [['mcpServers']] } as const;

export const amazonQ: ClientSpec = {
  id: 'amazon-q',
  name: 'Amazon Q Developer',
  installMarkers: [{ path: '{home}/.aws/amazonq' }],
  configs: [
    { scope: 'user', path: '{home}/.aws/amazonq/mcp.json', format: 'json', servers: MCP },
    { scope: 'user', path: '{home}/.aws/amazonq/agents/*.json', format: 'json', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.aws/amazonq/cli-agents/*.json', format: 'json', servers: MCP, settings: true },
    { scope: 'project', path: '.amazonq/mcp.json', format: 'json', servers: MCP },
    { scope: 'project', path: '.amazonq/agents/*.json', format: 'json', servers: MCP, settings: true },
    { scope: 'project', path: '.amazonq/cli-agents/*.json', format: 'json', servers: MCP, settings: true },
  ],
};
