// Servers Warden starts lead their own process group (POSIX) so that stopping one also stops
// what it started (`npx` → `node server.js`, shell wrappers). Shared by inspection and the
// gateway; free of any MCP code so the gateway does not load the SDK to get it.
import { spawn } from 'node:child_process';

const IS_WINDOWS = process.platform === 'win32';

/** Signals a server and everything in its process group (POSIX), or its process tree (Windows). */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  if (IS_WINDOWS) {
    // No process groups: taskkill walks the tree. Best effort, never awaited.
    try {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => {});
    } catch {
      // taskkill missing: nothing more to do
    }
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already empty
  }
}

/**
 * Process groups Warden has started and not yet reaped. A detached group does not receive the
 * terminal's Ctrl-C, so Warden forwards it: while any group is live, SIGINT/SIGTERM/SIGHUP and
 * process exit kill every group. When Warden's own handler is the only one for a signal, it then
 * re-raises the signal so the default behaviour (exit) still happens.
 */
export const liveGroups = (() => {
  const groups = new Set<number>();
  const signals: NodeJS.Signals[] = IS_WINDOWS ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const killAll = (): void => {
    for (const pid of groups) killTree(pid, 'SIGKILL');
    groups.clear();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    killAll();
    uninstall();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const install = (): void => {
    process.on('exit', killAll);
    for (const s of signals) process.on(s, onSignal);
  };
  const uninstall = (): void => {
    process.removeListener('exit', killAll);
    for (const s of signals) process.removeListener(s, onSignal);
  };
  return {
    track(pid: number): void {
      if (groups.size === 0) install();
      groups.add(pid);
    },
    untrack(pid: number): void {
      if (groups.delete(pid) && groups.size === 0) uninstall();
    },
  };
})();
