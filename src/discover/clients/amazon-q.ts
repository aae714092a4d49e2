import type { ClientSpec } from '../spec.js';

// Amazon Q Developer (CLI and IDE plugins). The CLI's agents live in ~/.aws/amazonq/cli-agents/*.json
// and <workspace>/.amazonq/cli-agents/*.json, each with an `mcpServers` map and tool permissions
// (`allowedTools`); the IDE's default agent is ~/.aws/amazonq/agents/default.json. The older
// global ~/.aws/amazonq/mcp.json and workspace .amazonq/mcp.json are still read by agents with
// `useLegacyMcpJson`. Project rules (.amazonq/rules/**/*.md) have no InstructionKind yet.
// Verified against: docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/qdev-mcp.html (cli-agents,
// agents/default.json), aws.github.io/amazon-q-developer-cli agent format (mcpServers,
// useLegacyMcpJson); snyk/agent-scan:src/agent_scan/agents/partial/amazon_q.py (legacy mcp.json).
// Not verified against a primary source: the workspace .amazonq/mcp.json, .amazonq/agents and
// .amazonq/cli-agents folders.
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
