// The tool capability classifier (what a tool can do, from its name: `delete_repository` is
// destructive, `send_email` egress), as a file of its own in the hook bundle
// (dist/hook-tools.cjs), loaded only for MCP tool calls. scripts/build.mjs sends the hook's
// dynamic import of inspect/capabilities.js here.
export { classifyTool } from '../inspect/capabilities.js';
