// Path classes: one name for a file however a command or a tool spells it (`~`, `$HOME`, `..`,
// another user's home, Windows separators), and templates, public keys and look-alikes left out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPath, normalisePath, PATH_CLASSES } from '../../src/detect/path-classes.js';

const opts = { home: '/home/me', cwd: '/home/me/proj' };

/** [path, classes] under opts. */
const CASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  // credentials, in any user's home and however the home is written
  ['~/.ssh/id_rsa', ['credentials']],
  ['~/.ssh/config', ['credentials']],
  ['~/.ssh', ['credentials']],
  ['$HOME/.ssh/id_ed25519', ['credentials']],
  ['${HOME}/.aws/credentials', ['credentials']],
  ['$HOME/../$USER/.aws/credentials', ['credentials']],
  ['../.aws/config', ['credentials']],
  ['/root/.ssh/authorized_keys', ['credentials', 'remote-access']],
  ['/home/alice/.ssh/id_ecdsa', ['credentials']],
  ['/Users/bob/.ssh/id_ed25519', ['credentials']],
  ['C:\\Users\\me\\.ssh\\id_ed25519', ['credentials']],
  ['~root/.ssh/id_rsa', ['credentials']],
  ['~/.config/gcloud/application_default_credentials.json', ['credentials']],
  ['~/.azure/msal_token_cache.json', ['credentials']],
  ['~/.kube/config', ['credentials']],
  ['~/.docker/config.json', ['credentials']],
  ['~/.npmrc', ['credentials']],
  ['~/.pypirc', ['credentials']],
  ['~/.netrc', ['credentials']],
  ['~/.git-credentials', ['credentials']],
  ['~/.gnupg/private-keys-v1.d/AB.key', ['credentials']],
  ['~/.password-store/mail.gpg', ['credentials']],
  ['~/.config/gh/hosts.yml', ['credentials']],
  ['~/Library/Keychains/login.keychain-db', ['credentials']],
  ['~/.claude/.credentials.json', ['credentials']],
  ['/etc/shadow', ['credentials', 'system']],
  ['/etc/sudoers', ['credentials', 'system']],
  ['deploy/server.key', ['credentials']],
  ['certs/privkey.pem', ['credentials']],
  ['backup/id_rsa', ['credentials']],
  // ...but not public keys, certificates, or a project's own .npmrc
  ['~/.ssh/id_rsa.pub', []],
  ['certs/fullchain.pem', []],
  ['.npmrc', []],
  // globs that could reach a secret
  ['~/.ss*/id_*', ['credentials']],
  ['/etc/sha*', ['credentials', 'system']],
  ['src/**/*.ts', []],
  // env files, not templates
  ['.env', ['env-file']],
  ['.env.local', ['env-file']],
  ['config/.env.production', ['env-file']],
  ['.envrc', ['env-file']],
  ['prod.env', ['env-file']],
  ['.env.example', []],
  ['.env.sample', []],
  ['.env.template', []],
  ['.env.dist', []],
  ['.env.defaults', []],
  ['config.example', []],
  ['.env/bin/python', []],
  ['.venv/bin/activate', []],
  ['/proc/self/environ', ['process-env']],
  ['/proc/1234/environ', ['process-env']],
  // agents' settings: the brief's list and the discovery catalogue
  ['~/.claude.json', ['agent-config']],
  ['.claude/settings.json', ['agent-config']],
  ['.claude/settings.local.json', ['agent-config']],
  ['~/.claude/settings.json', ['agent-config']],
  ['.mcp.json', ['agent-config']],
  ['.cursor/mcp.json', ['agent-config']],
  ['.cursor/hooks.json', ['agent-config']],
  ['~/Library/Application Support/Claude/claude_desktop_config.json', ['agent-config']],
  ['~/.gemini/settings.json', ['agent-config']],
  ['~/.codex/config.toml', ['agent-config']],
  ['.codex/hooks.json', ['agent-config']],
  ['.vscode/mcp.json', ['agent-config']],
  ['.github/hooks/guard.json', ['agent-config']],
  ['~/.copilot/mcp-config.json', ['agent-config']],
  ['~/.codeium/windsurf/mcp_config.json', ['agent-config']],
  ['/etc/gemini-cli/settings.json', ['agent-config', 'system']],
  ['/etc/codex/requirements.toml', ['agent-config', 'system']],
  ['/Library/Application Support/ClaudeCode/managed-settings.json', ['agent-config', 'system']],
  ['~/.config/Code/User/settings.json', ['agent-config']],
  ['~/.continue/config.yaml', ['agent-config']],
  ['.vscode/settings.json', []],
  ['.devcontainer/devcontainer.json', []],
  // Warden
  ['~/.warden/audit.db', ['warden']],
  ['~/.warden', ['warden']],
  ['warden.yaml', ['warden']],
  ['warden.lock.json', ['warden']],
  ['~/.config/warden/warden.yaml', ['warden']],
  ['/usr/local/bin/warden', ['system', 'warden']],
  ['$WARDEN_HOME/receipt.key', ['credentials', 'warden']],
  // things that run later
  ['~/.bashrc', ['shell-startup']],
  ['/home/other/.zshrc', ['shell-startup']],
  ['~/.config/fish/config.fish', ['shell-startup']],
  ['/etc/profile.d/x.sh', ['shell-startup', 'system']],
  ['dotfiles/.bashrc', []],
  ['.git/hooks/pre-commit', ['git-hooks']],
  ['.git/config', ['git-hooks']],
  ['.husky/pre-commit', []],
  ['/etc/cron.d/backup', ['scheduler', 'system']],
  ['/etc/crontab', ['scheduler', 'system']],
  ['/var/spool/cron/crontabs/me', ['scheduler']],
  ['~/.config/systemd/user/x.service', ['scheduler']],
  ['~/Library/LaunchAgents/com.x.plist', ['scheduler']],
  ['/Library/LaunchDaemons/com.x.plist', ['scheduler', 'system']],
  ['~/.config/autostart/x.desktop', ['scheduler']],
  // the system, devices and history
  ['/etc/hosts', ['system']],
  ['/usr/local/bin/tool', ['system']],
  ['C:/Windows/System32/drivers/etc/hosts', ['system']],
  ['/dev/sda', ['device']],
  ['/dev/nvme0n1p1', ['device']],
  ['/dev/null', []],
  ['/dev/stdout', []],
  ['~/.bash_history', ['shell-history']],
  ['~/.zsh_history', ['shell-history']],
  // ordinary files
  ['src/index.ts', []],
  ['README.md', []],
  ['/tmp/out.json', []],
  ['~', []],
  ['/', []],
];

describe('classifyPath', () => {
  for (const [path, classes] of CASES) {
    it(`${path} → [${classes.join(', ')}]`, () => {
      assert.deepEqual(classifyPath(path, opts), [...classes].sort());
    });
  }

  it('ignores case, as macOS and Windows do', () => {
    assert.deepEqual(classifyPath('/Users/Me/.SSH/ID_RSA', opts), ['credentials']);
    assert.deepEqual(classifyPath('.ENV', opts), ['env-file']);
  });

  it('takes WARDEN_HOME where it was moved', () => {
    assert.deepEqual(classifyPath('/srv/warden-state/audit.db', { ...opts, wardenHome: '/srv/warden-state' }), ['warden']);
    assert.deepEqual(classifyPath('/srv/warden-state/audit.db', opts), []);
  });

  it('documents every class it can return', () => {
    const documented = new Set(PATH_CLASSES.map((c) => c.class));
    for (const [, classes] of CASES) for (const c of classes) assert.ok(documented.has(c), c);
    for (const c of PATH_CLASSES) assert.ok(c.doc.length > 10, c.class);
  });
});

describe('normalisePath', () => {
  it('expands ~, variables and .., and joins relative paths to cwd, keeping case', () => {
    assert.equal(normalisePath('~/x/../.ssh/Id', opts), '/home/me/.ssh/Id');
    assert.equal(normalisePath('$HOME/../$USER/.aws', opts), '/home/me/.aws');
    assert.equal(normalisePath('"${HOME}/a b"', opts), '/home/me/a b');
    assert.equal(normalisePath('./src//a.ts', opts), '/home/me/proj/src/a.ts');
    assert.equal(normalisePath('../../../../etc/passwd', opts), '/etc/passwd');
    assert.equal(normalisePath('$HOMEBREW_PREFIX/bin', opts), '/home/me/proj/$HOMEBREW_PREFIX/bin', 'a longer variable is not $HOME');
    assert.equal(normalisePath('%USERPROFILE%\\.ssh', { home: 'C:/Users/me' }), 'C:/Users/me/.ssh');
    assert.equal(normalisePath('src/a.ts', { home: '/h' }), 'src/a.ts', 'relative stays relative without cwd');
  });

  it('is cheap: thousands of paths a millisecond or so', () => {
    classifyPath('warm-up', opts);
    const start = performance.now();
    for (let i = 0; i < 2000; i++) classifyPath(`~/proj/src/file${i}.ts`, opts);
    const perPath = (performance.now() - start) / 2000;
    assert.ok(perPath < 0.1, `${perPath.toFixed(4)} ms per path`);
  });
});
