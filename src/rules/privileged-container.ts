// Containers are a sandbox only while they keep their walls. --privileged, host namespaces, added
// capabilities, disabled seccomp/AppArmor, devices, and bind mounts of /, a home directory or the
// Docker socket each hand a containerised server part (or all) of the host.
import { defineRule } from './rule.js';
import { serverRiskHits } from '../detect/commands.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);

export const privilegedContainer = defineRule({
  meta: {
    id: 'privileged-container',
    title: 'Containerised server escapes its container',
    description:
      'The server runs in a container started with options that remove its isolation: --privileged, the host network, PID, IPC or user namespace, added Linux capabilities, seccomp/AppArmor/SELinux turned off, host devices, or bind mounts of the root filesystem, a home directory, a credential directory or the container engine socket.',
    severity: 'high',
    category: 'privilege',
    owasp: ['ASI03', 'ASI05'],
    remediation:
      'Drop --privileged and host namespaces, add only the capabilities the server needs, and mount only the project directory it works on (read-only where possible), e.g. `-v "$PWD":/workspace:ro`. Never mount /var/run/docker.sock into an agent-facing server.',
  },
  checkServer: ({ server }) => serverRiskHits(server, ['container']),
  cases: {
    valid: [
      { name: 'plain docker run by digest', server: { command: 'docker', args: ['run', '--rm', '-i', `mcp/fetch@${DIGEST}`] } },
      { name: 'project mount read-only', server: { command: 'docker', args: ['run', '--rm', '-i', '-v', '/home/me/project:/workspace:ro', 'mcp/filesystem', '/workspace'] } },
      { name: 'named volume', server: { command: 'docker', args: ['run', '-i', '--rm', '-v', 'mcp-data:/data', 'mcp/memory'] } },
      { name: 'bridge network and env', server: { command: 'docker', args: ['run', '-i', '--rm', '--network', 'bridge', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server'] } },
      { name: 'localtime and shm are not system dirs', server: { command: 'podman', args: ['run', '-i', '--rm', '-v', '/etc/localtime:/etc/localtime:ro', '-v', '/dev/shm:/dev/shm', 'mcp/puppeteer'] } },
      { name: 'default capability', server: { command: 'docker', args: ['run', '-i', '--cap-add', 'NET_BIND_SERVICE', 'img'] } },
      { name: 'flag after the image belongs to the server', server: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/tool', '--privileged'] } },
      { name: 'docker exec is not run', server: { command: 'docker', args: ['exec', '-i', 'mcp-container', 'node', 'server.js'] } },
      { name: 'security-opt no-new-privileges', server: { command: 'docker', args: ['run', '-i', '--security-opt', 'no-new-privileges', 'img'] } },
    ],
    invalid: [
      { name: '--privileged', server: { command: 'docker', args: ['run', '-i', '--rm', '--privileged', 'mcp/fetch'] } },
      { name: '--network=host', server: { command: 'docker', args: ['run', '-i', '--network=host', 'mcp/fetch'] } },
      { name: '--net host', server: { command: 'docker', args: ['run', '-i', '--net', 'host', 'mcp/fetch'] } },
      { name: '--pid=host', server: { command: 'podman', args: ['run', '-i', '--pid=host', 'img'] } },
      { name: '--ipc host', server: { command: 'docker', args: ['run', '-i', '--ipc', 'host', 'img'] } },
      { name: '--userns=host', server: { command: 'docker', args: ['run', '-i', '--userns=host', 'img'] } },
      { name: '--cap-add SYS_ADMIN', server: { command: 'docker', args: ['run', '-i', '--cap-add', 'SYS_ADMIN', 'img'] } },
      { name: '--cap-add=ALL', server: { command: 'docker', args: ['run', '-i', '--cap-add=ALL', 'img'] } },
      { name: 'seccomp unconfined', server: { command: 'docker', args: ['run', '-i', '--security-opt', 'seccomp=unconfined', 'img'] } },
      { name: 'apparmor unconfined', server: { command: 'docker', args: ['run', '-i', '--security-opt=apparmor:unconfined', 'img'] } },
      { name: 'label disable', server: { command: 'podman', args: ['run', '-i', '--security-opt', 'label=disable', 'img'] } },
      { name: '--device', server: { command: 'docker', args: ['run', '-i', '--device', '/dev/kvm', 'img'] } },
      { name: 'mount of /', server: { command: 'docker', args: ['run', '-i', '-v', '/:/host', 'img'] } },
      { name: 'read-only mount of /', server: { command: 'docker', args: ['run', '-i', '-v', '/:/host:ro', 'img'] } },
      { name: 'docker socket', server: { command: 'docker', args: ['run', '-i', '-v', '/var/run/docker.sock:/var/run/docker.sock', 'img'] } },
      { name: 'home via $HOME', server: { command: 'docker', args: ['run', '-i', '-v', '$HOME:/home/user', 'img'] } },
      { name: 'home via ~', server: { command: 'docker', args: ['run', '-i', '--volume=~:/root', 'img'] } },
      { name: 'home via absolute path', server: { command: 'docker', args: ['run', '-i', '-v', '/Users/alice:/data', 'img'] } },
      { name: 'root home', server: { command: 'docker', args: ['run', '-i', '-v', '/root:/r', 'img'] } },
      { name: 'Windows home', server: { command: 'docker', args: ['run', '-i', '-v', 'C:\\Users\\alice:/data', 'img'] } },
      { name: 'ssh keys', server: { command: 'docker', args: ['run', '-i', '-v', '~/.ssh:/root/.ssh:ro', 'img'] } },
      { name: '--mount bind of /', server: { command: 'docker', args: ['run', '-i', '--mount', 'type=bind,source=/,target=/host', 'img'] } },
      { name: 'docker global options first', server: { command: 'docker', args: ['--context', 'default', 'container', 'run', '-i', '--privileged', 'img'] } },
      { name: 'docker inside sh -c', server: { command: 'sh', args: ['-c', 'docker run -i --rm -v /var/run/docker.sock:/var/run/docker.sock img'] } },
      { name: 'clustered short flags before a value', server: { command: 'docker', args: ['run', '-it', '-v', '/:/h', 'img'] } },
    ],
  },
});
