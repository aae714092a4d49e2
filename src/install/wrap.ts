// The command rewrite at the heart of `warden install`, as pure functions over an argv:
//   COMMAND ARGS...  ->  LAUNCHER... gateway --name NAME [--policy FILE | --preset NAME] -- COMMAND ARGS...
// and back. Everything the server needs (env, cwd, the client's own variables such as
// ${workspaceFolder}) stays where the client puts it: the client launches the gateway exactly
// as it launched the server, and the gateway passes the same environment on.
import { basename } from 'node:path';

/** What runs Warden: an executable and the arguments before `gateway` (see ./launcher.ts). */
export interface Launcher {
  command: string;
  args: readonly string[];
}

/** Options given to every routed server's `warden gateway`. */
export interface GatewayChoice {
  /** Absolute path of a policy file. */
  policy?: string;
  preset?: string;
}

export interface WrappedLaunch {
  /** argv before `gateway`: the Warden that was installed. */
  launcher: string[];
  name?: string;
  policy?: string;
  preset?: string;
  /** Index in the argv of the server's own command (just after `--`). */
  originalStart: number;
  original: string[];
}

/** Gateway options that take a value; `warden gateway` has no flags without one today. */
const VALUE_OPTIONS = new Set(['--name', '--policy', '--preset', '--audit']);

/**
 * The server's argv routed through the gateway. The name goes as its own argument after
 * `--name`: the gateway's option parser (commander) takes the next argument as the value
 * whatever it looks like, so a server named `--` or `-x` stays a name.
 */
export function wrapArgv(argv: readonly string[], name: string, launcher: Launcher, choice: GatewayChoice = {}): string[] {
  const options = ['--name', name];
  if (choice.policy !== undefined) options.push('--policy', choice.policy);
  if (choice.preset !== undefined) options.push('--preset', choice.preset);
  return [launcher.command, ...launcher.args, 'gateway', ...options, '--', ...argv];
}

/** `warden`, `warden.js`, `warden.cmd`, `warden@1.2` (npx)...: an argv element that starts Warden. */
export function isWardenProgram(arg: string): boolean {
  return /^warden(@[^/]*)?(\.[cm]?js|\.cmd|\.exe|\.ps1)?$/i.test(basename(arg.replace(/\\/g, '/')));
}

/**
 * Where `gateway` follows a Warden program in an argv, or -1. Any such argv counts as routed,
 * even with options this version does not know: wrapping it again would nest two gateways.
 */
export function gatewayIndex(argv: readonly string[]): number {
  return argv.findIndex((a, i) => a === 'gateway' && i > 0 && isWardenProgram(argv[i - 1]!));
}

/**
 * The parts of an argv that already runs `warden gateway ... -- COMMAND ...`, or null when it
 * does not. Options are read the way the gateway reads them (a value option consumes the next
 * argument), so the `--` found is the one the gateway stops at.
 */
export function parseWrapped(argv: readonly string[]): WrappedLaunch | null {
  const g = gatewayIndex(argv);
  if (g === -1) return null;
  const out: Partial<WrappedLaunch> = {};
  let i = g + 1;
  while (i < argv.length && argv[i] !== '--') {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(key)) return null;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (value === undefined) return null;
    if (key === '--name') out.name = value;
    else if (key === '--policy') out.policy = value;
    else if (key === '--preset') out.preset = value;
    i += eq > 0 ? 1 : 2;
  }
  if (argv[i] !== '--' || i + 1 >= argv.length) return null;
  return { ...out, launcher: argv.slice(0, g), originalStart: i + 1, original: argv.slice(i + 1) };
}
