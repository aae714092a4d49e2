// A server started through sudo (or doas, pkexec, runas, su) runs every tool call as root: one
// prompt injection away from owning the machine. Found in the launch itself and in any shell
// script it runs.
import { defineRule } from './rule.js';
import { serverRiskHits } from '../detect/commands.js';

export const sudoLaunch = defineRule({
  meta: {
    id: 'sudo-launch',
    title: 'Server runs with elevated privileges',
    description:
      'The server is launched through sudo, doas, pkexec, gsudo, su or runas, so the server and every tool call an agent makes through it run as root or another privileged user.',
    severity: 'high',
    category: 'privilege',
    owasp: ['ASI03', 'ASI05'],
    remediation:
      'Run the server as your own user. If it needs one privileged operation, grant exactly that (a group membership, a capability, a narrowly scoped sudoers rule for one command) instead of running the whole server as root.',
  },
  checkServer: ({ server }) => serverRiskHits(server, ['privilege']),
  cases: {
    valid: [
      { name: 'plain npx', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/home/me/project'] } },
      { name: 'sudo only as an argument', server: { command: 'grep', args: ['sudo', '/var/log/auth.log'] } },
      { name: 'env wrapper without sudo', server: { command: 'env', args: ['NODE_ENV=production', 'node', 'server.js'] } },
      { name: 'sudo mentioned inside an echo', server: { command: 'sh', args: ['-c', 'echo "never use sudo" && node server.js'] } },
      { name: 'a server named sudo-helper', server: { name: 'sudo-helper', command: 'node', args: ['/opt/sudo-helper/index.js'] } },
      { name: 'remote server', server: { url: 'https://mcp.example.com/mcp' } },
    ],
    invalid: [
      { name: 'sudo npx', server: { command: 'sudo', args: ['npx', '-y', 'some-mcp-server'] } },
      { name: 'sudo with options', server: { command: '/usr/bin/sudo', args: ['-E', '-u', 'root', 'node', 'server.js'] } },
      { name: 'doas', server: { command: 'doas', args: ['python3', '-m', 'server'] } },
      { name: 'pkexec', server: { command: 'pkexec', args: ['--user', 'root', 'uvx', 'mcp-server-fetch'] } },
      { name: 'env then sudo', server: { command: 'env', args: ['FOO=1', 'sudo', 'docker', 'run', '-i', 'mcp/fetch'] } },
      { name: 'sudo inside sh -c', server: { command: 'bash', args: ['-lc', 'cd /srv && sudo node server.js'] } },
      { name: 'su -c', server: { command: 'su', args: ['root', '-c', 'node /srv/server.js'] } },
      { name: 'whole command line in command', server: { command: 'sudo node /srv/server.js', args: [] } },
      { name: 'gsudo on Windows', server: { command: 'gsudo.exe', args: ['npx', 'server'] } },
      { name: 'Start-Process -Verb RunAs', server: { command: 'powershell', args: ['-Command', 'Start-Process', 'node', '-Verb', 'RunAs'] } },
    ],
  },
});
