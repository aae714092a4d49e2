// `warden install --client NAME` and `warden uninstall --client NAME`: route a client's MCP
// servers through `warden gateway` by editing its config files, and undo it.
// `warden install --hooks AGENT` and `warden uninstall --hooks AGENT`: add (and take out) the hook
// entries that make a coding agent call `warden hook AGENT` on every action. The work is in
// src/install/; this module turns options into a request and the report into lines.
//
// Exit codes: 0 done (also when there was nothing to route or undo); 1 no config of that client
// was found, or a file or server was left as it was (each says why); 2 usage or input error: an
// unknown client or agent (the valid ids are listed), a malformed config (file:line:column;
// nothing is written), an invalid policy, options that do not go together.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ALL_OS } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { escapeInvisible } from '../detect/unicode.js';
import { CATALOGUE } from '../discover/catalogue.js';
import type { HomeTarget } from '../discover/discover.js';
import { currentOs } from '../discover/paths.js';
import type { ClientSpec } from '../discover/spec.js';
import { ConfigParseError } from '../parse/document.js';
import { PolicyError } from '../policy/load.js';
import { PRESETS } from '../policy/presets.js';
import { readPolicyFile } from '../policy/resolve.js';
import { install, uninstall, type FileReport, type Report } from '../install/install.js';
import { HOOK_AGENTS, hookAgent, type HookAgent, type HookScope } from '../install/hook-entries.js';
import { installHooks, locateHookFile, uninstallHooks, type HookFileResult, type HookReport, type HookTarget } from '../install/hooks.js';
import { wardenLauncher } from '../install/launcher.js';
import type { ServerOutcome } from '../install/rewrite.js';
import type { GatewayChoice } from '../install/wrap.js';

interface TargetOptions {
  client?: string;
  hooks?: string;
  home?: string;
  project?: string;
  scope?: string;
  managed?: boolean;
  systemRoot?: string;
  dryRun?: boolean;
}

interface InstallOptions extends TargetOptions {
  policy?: string;
  preset?: string;
}

interface UninstallOptions extends TargetOptions {
  force?: boolean;
}

const EXIT_CODES =
  '\nExit codes: 0 done (also when there was nothing to do); 1 no config of that client found, or a file or server left as it was (each line says why); ' +
  '2 unknown client or agent, malformed config (file:line:column; nothing written) or invalid option.';

export function registerInstallCommands(program: Command): void {
  const targets = (cmd: Command) =>
    cmd
      .option('--client <id>', `the client whose MCP configs to edit: ${CATALOGUE.map((c) => c.id).join(', ')}`)
      .option('--hooks <agent>', `the coding agent whose hooks to edit: ${HOOK_AGENTS.map((a) => a.id).join(', ')}`)
      .option('--home <dir>', 'the home directory whose user configs to edit (default: yours)')
      .option('--project <dir>', 'edit this project\'s configs instead (with --client, add --home to edit a home\'s too; with --hooks, implies --scope project)')
      .addOption(new Option('--scope <scope>', 'with --hooks: the user\'s file or the project\'s (the current folder, or --project)').choices(['user', 'project']))
      .option('--managed', 'with --hooks: the machine-wide file only an administrator can change (Claude Code also gets allowManagedHooksOnly)')
      .option('--system-root <dir>', 'with --managed: root of the machine (default: / or the system drive)')
      .option('--dry-run', 'print what would change (a unified diff per file); write nothing');

  targets(
    program
      .command('install')
      .description(
        'Route a client\'s MCP servers through the gateway (--client): in its config files each stdio server\'s command becomes ' +
          '`warden gateway --name NAME -- COMMAND ARGS...` (env and everything else unchanged, comments and formatting kept). ' +
          'Or make a coding agent call Warden on every action (--hooks): its hook file gets entries running `warden hook AGENT`, ' +
          'next to the hooks already there. Each file is backed up first (~/.warden/backups, or $WARDEN_HOME) for `warden uninstall`. ' +
          'Remote servers are not routed yet.',
      )
      .addHelpText('after', EXIT_CODES),
  )
    .option('--policy <file>', 'with --client: the policy every routed server enforces (default: the gateway\'s own choice at start-up: ./warden.yaml, the user\'s, then balanced)')
    .option('--preset <name>', `with --client: enforce a preset: ${Object.keys(PRESETS).join(', ')}`)
    .action((options: InstallOptions) => {
      process.exitCode = options.hooks !== undefined ? runHooksInstall(options) : runInstall(options);
    });

  targets(
    program
      .command('uninstall')
      .description(
        'Undo `warden install`: restore each config byte for byte from its backup when it is as Warden left it (a hook file ' +
          'Warden created is deleted); when it changed since, take out only what Warden added and keep the changes ' +
          '(--force restores the backup instead).',
      )
      .addHelpText('after', EXIT_CODES),
  )
    .option('--force', 'restore the backup even when the config changed since Warden edited it (those changes are lost)')
    .action((options: UninstallOptions) => {
      process.exitCode = options.hooks !== undefined ? runHooksUninstall(options) : runUninstall(options);
    });
}

export function runInstall(o: InstallOptions): number {
  const client = clientById(clientOption(o));
  const where = targetsOf(o);
  const choice = gatewayChoice(o);
  const launch = wardenLauncher();
  if (!launch.ok) throw new UsageError(launch.reason);
  if (launch.warning) process.stderr.write(`warden: ${launch.warning}\n`);
  const report = inputErrors(() => install({ client, ...where, dryRun: Boolean(o.dryRun), launcher: launch.launcher, choice }));
  return finish(report, client, 'install', o);
}

export function runUninstall(o: UninstallOptions): number {
  const client = clientById(clientOption(o));
  const where = targetsOf(o);
  const report = inputErrors(() => uninstall({ client, ...where, dryRun: Boolean(o.dryRun), force: Boolean(o.force) }));
  return finish(report, client, 'uninstall', o);
}

/** The --client id, once the options that belong to --hooks are ruled out. */
function clientOption(o: TargetOptions): string {
  if (o.client === undefined) throw new UsageError(`give --client ID (route MCP servers) or --hooks AGENT (coding-agent hooks); agents: ${HOOK_AGENTS.map((a) => a.id).join(', ')}`);
  for (const [flag, set] of [['--scope', o.scope], ['--managed', o.managed], ['--system-root', o.systemRoot]] as const) {
    if (set !== undefined) throw new UsageError(`${flag} goes with --hooks; --client edits the user's and the project's MCP configs (--home, --project)`);
  }
  return o.client;
}

function clientById(id: string): ClientSpec {
  const client = CATALOGUE.find((c) => c.id === id);
  if (!client) throw new UsageError(`--client: unknown client "${escapeInvisible(id)}"; expected one of: ${CATALOGUE.map((c) => c.id).join(', ')}`);
  return client;
}

function targetsOf(o: TargetOptions): { homes: HomeTarget[]; projects: string[] } {
  // As `warden scan`: another home (a fixture, a disk image) is probed in all three OS layouts.
  const homes: HomeTarget[] = o.home ? [{ path: requireDir('--home', o.home), os: [...ALL_OS] }] : o.project ? [] : [{ path: homedir(), os: [currentOs()] }];
  return { homes, projects: o.project ? [requireDir('--project', o.project)] : [] };
}

function requireDir(option: string, path: string): string {
  const abs = resolve(path);
  try {
    if (statSync(abs).isDirectory()) return abs;
  } catch {
    throw new UsageError(`${option} ${path}: no such directory`);
  }
  throw new UsageError(`${option} ${path}: not a directory`);
}

/** The policy options every routed server gets; checked now, since a bad one would stop every server later. */
function gatewayChoice(o: InstallOptions): GatewayChoice {
  if (o.policy !== undefined && o.preset !== undefined) throw new UsageError('give --policy or --preset, not both');
  if (o.preset !== undefined) {
    if (!(o.preset in PRESETS)) throw new UsageError(`--preset: unknown preset "${escapeInvisible(o.preset)}"; expected ${Object.keys(PRESETS).join(', ')}`);
    return { preset: o.preset };
  }
  if (o.policy !== undefined) {
    // Absolute: clients start servers from a working directory of their own choosing.
    const path = resolve(o.policy);
    try {
      readPolicyFile(path);
    } catch (err) {
      if (err instanceof PolicyError) throw new UsageError(err.message);
      throw err;
    }
    return { policy: path };
  }
  return {};
}

function inputErrors<R>(f: () => R): R {
  try {
    return f();
  } catch (err) {
    if (err instanceof ConfigParseError) throw new UsageError(`${escapeInvisible(err.message)}; nothing was written`);
    throw err;
  }
}

const STATUS: Record<ServerOutcome['status'], string> = {
  routed: 'routed',
  'already-routed': 'already routed',
  skipped: 'skipped',
  'not-routed': 'not routed',
  unrouted: 'unrouted',
  'left-routed': 'left routed',
};

const RESULT: Record<FileReport['result'], string> = {
  written: 'written',
  unchanged: 'unchanged',
  'would-write': 'would be written (dry run)',
  restored: 'restored',
  'unrouted-in-place': 'unrouted in place',
  refused: 'not edited',
};

function finish(report: Report, client: ClientSpec, verb: 'install' | 'uninstall', o: TargetOptions): number {
  if (report.files.length === 0) {
    const shown = report.probed.slice(0, 12).map((p) => `  ${p}\n`).join('');
    const more = report.probed.length > 12 ? `  … and ${report.probed.length - 12} more\n` : '';
    process.stderr.write(`warden: no MCP config of ${client.name} found; looked at:\n${shown}${more}`);
    return 1;
  }
  const out: string[] = [];
  for (const f of report.files) {
    out.push(`${name(f.path, 400)} (${f.scope})`);
    for (const s of f.servers) out.push(`  ${STATUS[s.status].padEnd(15)} ${name(s.name, 120)}${s.reason ? `: ${s.reason}` : ''}`);
    const detail = f.backup ? `; backup: ${f.backup}` : f.note ? `: ${f.note}` : '';
    out.push(`  → ${RESULT[f.result]}${detail}`);
    if (f.diff) out.push(f.diff.trimEnd());
  }
  process.stdout.write(out.join('\n') + '\n');

  const servers = report.files.flatMap((f) => (f.result === 'refused' ? [] : f.servers));
  const problems = report.files.some((f) => f.result === 'refused') || servers.some((s) => s.status === 'left-routed' || s.status === 'not-routed');
  if (o.dryRun) process.stderr.write('warden: dry run: nothing was written\n');
  else if (verb === 'install') {
    const routed = servers.filter((s) => s.status === 'routed').length;
    const written = report.files.filter((f) => f.result === 'written');
    if (routed > 0) {
      process.stderr.write(
        `warden: routed ${routed} server${routed === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}; ` +
          `restart ${client.name} so it starts them through the gateway; undo with \`warden uninstall --client ${client.id}\`\n`,
      );
    }
    if (written.some((f) => f.scope === 'project')) {
      process.stderr.write('warden: project configs are usually committed, and routed commands name paths on this machine: do not commit them\n');
    }
  }
  return problems ? 1 : 0;
}

/** A path or server name as a terminal line: no control or invisible characters, bounded. */
function name(s: string, max: number): string {
  const e = escapeInvisible(s);
  return e.length <= max ? e : `${e.slice(0, max)}…(${e.length - max} more)`;
}

// --- --hooks ---------------------------------------------------------------------------------

export function runHooksInstall(o: InstallOptions): number {
  if (o.policy !== undefined || o.preset !== undefined) {
    throw new UsageError('--policy and --preset go with --client; `warden hook` finds its policy itself (./warden.yaml, the user\'s, then balanced)');
  }
  const target = hookTarget(o);
  const launch = wardenLauncher();
  if (!launch.ok) throw new UsageError(launch.reason);
  if (launch.warning) process.stderr.write(`warden: ${launch.warning}\n`);
  const report = inputErrors(() => installHooks({ target, dryRun: Boolean(o.dryRun), launcher: launch.launcher }));
  return finishHooks(report, target, 'install', o);
}

export function runHooksUninstall(o: UninstallOptions): number {
  const target = hookTarget(o);
  const report = inputErrors(() => uninstallHooks({ target, dryRun: Boolean(o.dryRun), force: Boolean(o.force) }));
  return finishHooks(report, target, 'uninstall', o);
}

/** The one file the options name, after ruling out combinations that mean nothing. */
function hookTarget(o: TargetOptions): HookTarget {
  const agent = hookAgent(o.hooks ?? '');
  if (!agent) throw new UsageError(`--hooks: unknown agent "${escapeInvisible(o.hooks ?? '')}"; expected one of: ${HOOK_AGENTS.map((a) => a.id).join(', ')}`);
  if (o.client !== undefined) throw new UsageError('give --client or --hooks, not both');
  let scope: HookScope;
  if (o.managed) {
    for (const [flag, set] of [['--scope', o.scope], ['--project', o.project], ['--home', o.home]] as const) {
      if (set !== undefined) throw new UsageError(`--managed edits the machine-wide file; ${flag} does not go with it`);
    }
    scope = 'managed';
  } else {
    if (o.systemRoot !== undefined) throw new UsageError('--system-root goes with --managed');
    scope = o.scope === 'project' || (o.scope === undefined && o.project !== undefined) ? 'project' : 'user';
    if (scope === 'user' && o.project !== undefined) throw new UsageError('--project goes with --scope project');
    if (scope === 'project' && o.home !== undefined) throw new UsageError('--home goes with --scope user');
  }
  const os = currentOs();
  return locateHookFile(agent, scope, {
    home: o.home ? requireDir('--home', o.home) : homedir(),
    project: o.project ? requireDir('--project', o.project) : process.cwd(),
    systemRoot: o.systemRoot ? requireDir('--system-root', o.systemRoot) : os === 'windows' ? `${process.env['SystemDrive'] ?? 'C:'}\\` : '/',
    os,
    // Another home named on the command line is read as it is, not through this user's variables.
    dirEnv: o.home ? {} : process.env,
  });
}

const HOOK_RESULT: Record<HookFileResult, string> = {
  written: 'written',
  created: 'created',
  unchanged: 'unchanged',
  'would-write': 'would be written (dry run)',
  restored: 'restored',
  deleted: 'deleted',
  'removed-in-place': 'Warden\'s entries taken out in place',
  absent: 'not present',
  refused: 'not edited',
};

function finishHooks(report: HookReport, target: HookTarget, verb: 'install' | 'uninstall', o: TargetOptions): number {
  const agent = target.agent;
  const out = [`${name(report.path, 400)} (${report.scope})`];
  for (const e of report.events) out.push(`  ${e.status.padEnd(10)} ${e.event}`);
  for (const s of report.settings) out.push(`  setting    ${s}`);
  for (const w of report.warnings) out.push(`  warning    ${w}`);
  const detail = report.backup ? `; backup: ${report.backup}` : report.note ? `: ${report.note}` : '';
  out.push(`  → ${HOOK_RESULT[report.result]}${detail}`);
  if (report.diff) out.push(report.diff.trimEnd());
  process.stdout.write(out.join('\n') + '\n');
  if (o.dryRun) process.stderr.write('warden: dry run: nothing was written\n');
  else if (verb === 'install' && (report.result === 'written' || report.result === 'created')) {
    process.stderr.write(`warden: ${agent.name} now calls Warden (${report.events.length} events); ${hintFor(agent, report.scope)}; undo with \`warden uninstall --hooks ${agent.id}${scopeFlags(report.scope, o)}\`\n`);
    if (report.scope === 'project') process.stderr.write('warden: project files are usually committed, and these hooks name paths on this machine: do not commit them\n');
  }
  return report.result === 'refused' ? 1 : 0;
}

function hintFor(agent: HookAgent, scope: HookScope): string {
  return agent.hints[scope] ?? `restart ${agent.name} so it loads them`;
}

function scopeFlags(scope: HookScope, o: TargetOptions): string {
  if (scope === 'managed') return ' --managed';
  if (scope === 'project') return o.project !== undefined ? ` --project ${quoteForDisplay(o.project)}` : ' --scope project';
  return o.home !== undefined ? ` --home ${quoteForDisplay(o.home)}` : '';
}

function quoteForDisplay(path: string): string {
  const shown = name(path, 400);
  return /^[\w/.:@%+,=-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
}
