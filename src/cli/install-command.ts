// `warden install --client NAME` and `warden uninstall --client NAME`: route a client's MCP
// servers through `warden gateway` by editing its config files, and undo it. The work is in
// src/install/; this module turns options into a request and the report into lines.
//
// Exit codes: 0 done (also when there was nothing to route or undo); 1 no config of that client
// was found, or a file or server was left as it was (each says why); 2 usage or input error: an
// unknown client (the valid ids are listed), a malformed config (file:line:column; nothing is
// written), an invalid policy.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
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
import { wardenLauncher } from '../install/launcher.js';
import type { ServerOutcome } from '../install/rewrite.js';
import type { GatewayChoice } from '../install/wrap.js';

interface TargetOptions {
  client: string;
  home?: string;
  project?: string;
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
  '2 unknown client, malformed config (file:line:column; nothing written) or invalid option.';

export function registerInstallCommands(program: Command): void {
  const targets = (cmd: Command) =>
    cmd
      .requiredOption('--client <id>', `the client whose configs to edit: ${CATALOGUE.map((c) => c.id).join(', ')}`)
      .option('--home <dir>', 'the home directory whose user configs to edit (default: yours)')
      .option('--project <dir>', 'edit this project\'s configs instead (add --home to edit a home\'s too)')
      .option('--dry-run', 'print what would change (a unified diff per file); write nothing');

  targets(
    program
      .command('install')
      .description(
        'Route a client\'s MCP servers through the gateway: in its config files each stdio server\'s command becomes ' +
          '`warden gateway --name NAME -- COMMAND ARGS...` (env and everything else unchanged, comments and formatting kept). ' +
          'Each file is backed up first (~/.warden/backups, or $WARDEN_HOME) for `warden uninstall`. Remote servers are not routed yet.',
      )
      .addHelpText('after', EXIT_CODES),
  )
    .option('--policy <file>', 'the policy every routed server enforces (default: the gateway\'s own choice at start-up: ./warden.yaml, the user\'s, then balanced)')
    .option('--preset <name>', `enforce a preset: ${Object.keys(PRESETS).join(', ')}`)
    .action((options: InstallOptions) => {
      process.exitCode = runInstall(options);
    });

  targets(
    program
      .command('uninstall')
      .description(
        'Undo `warden install`: restore each config byte for byte from its backup when it is as Warden left it; when it ' +
          'changed since, unroute the servers in place and keep the changes (--force restores the backup instead).',
      )
      .addHelpText('after', EXIT_CODES),
  )
    .option('--force', 'restore the backup even when the config changed since Warden edited it (those changes are lost)')
    .action((options: UninstallOptions) => {
      process.exitCode = runUninstall(options);
    });
}

export function runInstall(o: InstallOptions): number {
  const client = clientById(o.client);
  const where = targetsOf(o);
  const choice = gatewayChoice(o);
  const launch = wardenLauncher();
  if (!launch.ok) throw new UsageError(launch.reason);
  if (launch.warning) process.stderr.write(`warden: ${launch.warning}\n`);
  const report = inputErrors(() => install({ client, ...where, dryRun: Boolean(o.dryRun), launcher: launch.launcher, choice }));
  return finish(report, client, 'install', o);
}

export function runUninstall(o: UninstallOptions): number {
  const client = clientById(o.client);
  const where = targetsOf(o);
  const report = inputErrors(() => uninstall({ client, ...where, dryRun: Boolean(o.dryRun), force: Boolean(o.force) }));
  return finish(report, client, 'uninstall', o);
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

function inputErrors(f: () => Report): Report {
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
