// Consent before Warden starts anything a config declares: what the prompt shows, what each answer
// runs, and what happens with no terminal. The prompt is a function here; the CLI passes a real
// readline question on a TTY (src/cli/consent.ts terminalAsker).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeLaunch, parseConnectScope, planConnections } from '../../src/cli/consent.js';
import { clientInfoFor } from '../../src/inspect/client-identities.js';
import { lockfileFor, projectRootOf, userLockfile } from '../../src/inspect/lock-locations.js';
import { tempDir } from '../helpers/cli.js';
import { serverDecl } from '../helpers/rule-subjects.js';

const TOKEN = 'ghp_' + 'R8x2Lq9ZtV4mN7wK1pS6dF3hJ0cB5yGaE2uT';
const userStdio = serverDecl({ id: 'u', name: 'files', scope: 'user', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'] });
const projectStdio = serverDecl({ id: 'p', name: 'repo-tool', scope: 'project', command: 'node', args: ['tool.js', '--token', TOKEN], file: '/repo/.mcp.json' });
const userRemote = serverDecl({ id: 'r', name: 'remote', scope: 'user', transport: 'http', url: 'https://mcp.example.com/mcp' });
const disabled = serverDecl({ id: 'd', name: 'off', disabled: true, command: 'node' });

describe('planConnections', () => {
  it('asks once, lists every command with secrets redacted, and runs what the answer allows', async () => {
    const questions: string[] = [];
    const ask = (answer: string) => async (q: string) => {
      questions.push(q);
      return answer;
    };
    const all = await planConnections([userStdio, projectStdio, userRemote, disabled], { scope: 'all', yes: false, ask: ask('a') });
    assert.deepEqual(all.run.map((d) => d.id).sort(), ['p', 'r', 'u']);
    assert.deepEqual(all.skipped.map((s) => [s.serverId, s.status]), [['d', 'skipped']]);
    assert.equal(questions.length, 1);
    assert.match(questions[0]!, /npx -y @modelcontextprotocol\/server-filesystem/);
    assert.match(questions[0]!, /1 of them come from a project/);
    assert.ok(!questions[0]!.includes(TOKEN), 'the token in the arguments is not shown');
    assert.doesNotMatch(questions[0]!, /mcp\.example\.com/, 'the user\'s own remote server needs no consent');

    const userOnly = await planConnections([userStdio, projectStdio], { scope: 'all', yes: false, ask: ask('u') });
    assert.deepEqual(userOnly.run.map((d) => d.id), ['u']);
    assert.match(userOnly.skipped[0]!.reason!, /declined/);

    const none = await planConnections([userStdio, projectStdio], { scope: 'all', yes: false, ask: ask('') });
    assert.deepEqual(none.run, [], 'the default answer runs nothing');
  });

  it('without a terminal runs only what needs no consent, and says how to allow the rest', async () => {
    const plan = await planConnections([userStdio, projectStdio, userRemote], { scope: 'all', yes: false });
    assert.deepEqual(plan.run.map((d) => d.id), ['r']);
    for (const s of plan.skipped) assert.match(s.reason!, /--yes/);
  });

  it('--yes runs everything but --connect=user still never runs a project\'s servers', async () => {
    assert.equal((await planConnections([userStdio, projectStdio], { scope: 'all', yes: true })).run.length, 2);
    const plan = await planConnections([userStdio, projectStdio], { scope: 'user', yes: true });
    assert.deepEqual(plan.run.map((d) => d.id), ['u']);
    assert.match(plan.skipped[0]!.reason!, /--connect=user/);
  });

  it('parses the scope and shows a launch on one escaped line', () => {
    assert.equal(parseConnectScope(true), 'all');
    assert.equal(parseConnectScope('user'), 'user');
    assert.throws(() => parseConnectScope('everything'), /"user" or "all"/);
    const evil = serverDecl({ name: 'x\u001b[2Jy', command: 'node' });
    assert.doesNotMatch(describeLaunch(evil), /\u001b/);
  });
});

describe('lockfile locations and client identities', () => {
  it('pins a repository\'s servers at its root and the rest in the user\'s lockfile', () => {
    const root = tempDir();
    mkdirSync(join(root, 'app', '.git'), { recursive: true });
    mkdirSync(join(root, 'app', 'sub', '.cursor'), { recursive: true });
    assert.equal(projectRootOf(join(root, 'app', 'sub', '.cursor', 'mcp.json'), []), join(root, 'app'));
    assert.equal(projectRootOf(join(root, 'loose', '.vscode', 'mcp.json'), []), join(root, 'loose'));
    assert.equal(projectRootOf(join(root, 'scanned', '.mcp.json'), [join(root, 'scanned')]), join(root, 'scanned'));
    const user = userLockfile('/home/me', {}, 'linux');
    assert.equal(user, '/home/me/.config/warden/warden.lock.json');
    assert.equal(userLockfile('/home/me', { XDG_CONFIG_HOME: '/cfg' }, 'linux'), '/cfg/warden/warden.lock.json');
    assert.equal(userLockfile('/mnt/image/home', { XDG_CONFIG_HOME: '/cfg' }, 'linux', false), '/mnt/image/home/.config/warden/warden.lock.json', 'another home keeps its own');
    assert.equal(lockfileFor(serverDecl({ scope: 'user' }), { projects: [], userLock: user }), user);
    assert.equal(lockfileFor(serverDecl({ scope: 'project', file: join(root, 'app', '.mcp.json') }), { projects: [], userLock: user, only: '/x.json' }), '/x.json');
  });

  it('maps client ids to the names those clients send, and passes other names through', () => {
    assert.deepEqual(clientInfoFor('cursor', '1.0.0'), { name: 'cursor-vscode', version: '1.0.0' });
    assert.deepEqual(clientInfoFor('my-agent@2.3', '1.0.0'), { name: 'my-agent', version: '2.3' });
  });
});
