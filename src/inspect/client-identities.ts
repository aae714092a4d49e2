// `--identify-as CLIENT`: the `clientInfo.name` each agent client sends when it connects, so a
// server that shows different tools to different clients shows Warden what it shows them. Taken
// from the clients' own MCP connections; a name not listed here is sent as given.
export const CLIENT_INFO_NAMES: Readonly<Record<string, string>> = {
  'claude-desktop': 'claude-ai',
  'claude-code': 'claude-code',
  cursor: 'cursor-vscode',
  vscode: 'Visual Studio Code',
  windsurf: 'windsurf-client',
  'gemini-cli': 'gemini-cli-mcp-client',
  codex: 'codex-mcp-client',
  cline: 'Cline',
  zed: 'Zed',
  continue: 'continue-client',
};

/** `NAME` or `NAME@VERSION` → the clientInfo to send. */
export function clientInfoFor(spec: string, defaultVersion: string): { name: string; version: string } {
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : defaultVersion;
  return { name: CLIENT_INFO_NAMES[name] ?? name, version: version || defaultVersion };
}
