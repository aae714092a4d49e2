// `warden`: thin commands that wire discovery, rules and reports together. stdout carries only
// the requested output; progress, warnings and errors go to stderr.
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { UsageError } from '../core/errors.js';
import { REPORT_FORMATS } from './report.js';
import { runRules } from './rules-command.js';
import { runPolicyExplain, runPolicyInit, runPolicyTest, runPolicyValidate } from './policy-command.js';
import { registerEventsCommand } from './events-command.js';
import { registerInstallCommands } from './install-command.js';
import { SEVERITIES } from '../core/types.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The report options every command that produces a ScanResult takes. */
const formatOption = () => new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS);
const failOnOption = () => new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding at or above SEVERITY exists').choices(SEVERITIES.filter((s) => s !== 'info'));

// Commands load what they need when they run (scan: discovery, the rules and the MCP client; the
// gateway: the relay, policy and store), so a long-lived gateway does not carry the scanner.
export function buildProgram(): Command {
  const program = new Command('warden')
    .description('Security control plane for AI agents and the MCP servers they use.')
    .version(VERSION, '-v, --version', 'print the version')
    .configureHelp({ sortOptions: false })
    // Set before the subcommands are added: commander copies these settings into each of them.
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error: ') ? `warden: ${s.slice(7)}` : s),
    });

  program
    .command('scan')
    .description(
      'Find every agent client, MCP server and instruction file, and report what is wrong with them.\n' +
        'With no PATH: the user\'s home (user-scope configs) and the current directory (project scope).\n' +
        'With PATH...: those project trees. With --home DIR and no PATH: only that home.',
    )
    .argument('[paths...]', 'project trees to walk')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the report to FILE (mode 0600) instead of stdout')
    .addOption(failOnOption())
    .option('--home <dir>', 'use DIR as the home directory for discovery (another user, a disk image, a fixture); probes all three OS layouts')
    .option('--os <list>', 'with --home: only these layouts (comma-separated: linux, macos, windows)')
    .option('--system-root <dir>', 'root of the machine for managed (system-wide) configs; with --home they are skipped unless given')
    .option('--exclude <glob>', 'leave paths matching GLOB (gitignore syntax) out of project walks; repeatable', collect, [])
    .option('--allowlist <file>', 'approved servers (YAML/JSON list of names, packages, images, URL prefixes): others are findings')
    .option('--no-inline-suppressions', 'ignore `warden-ignore` comments (for reviewing a repository that could have written them)')
    .option('--no-walk-home', 'do not look for project folders inside the home; read only its user-scope configs')
    .option('--list-locations', 'print every path Warden looks at, then exit')
    .option('--connect [scope]', 'connect to each server and judge the tools, prompts and resources it shows the model (asks before running anything; "user": only servers outside repositories)')
    .option('-y, --yes', 'with --connect: run declared servers without asking (CI)')
    .option('--identify-as <client>', 'with --connect: the clientInfo name to send (a client id such as cursor, or any NAME[@VERSION])')
    .option('--connect-timeout <ms>', 'with --connect: deadline per server, milliseconds (default 15000)')
    .option('--connect-concurrency <n>', 'with --connect: servers inspected at once (default 8)')
    .option('--lockfile <file>', 'with --connect: compare every server with this lockfile instead of the project and user ones')
    .option('--judge <url>', 'second opinion: send flagged definitions (secrets redacted) to this OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1')
    .option('--judge-model <name>', 'with --judge: the model to ask (default: the only one the endpoint lists)')
    .option('--judge-all', 'with --judge: judge every definition, not only those a rule flagged')
    .option('--judge-api-key-env <name>', 'with --judge: environment variable holding the API key (default WARDEN_JUDGE_API_KEY)')
    .option('-q, --quiet', 'table format: findings only, no inventory or coverage')
    .option('--no-color', 'never colour the table')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./scan-command.js')).runScan(paths, options);
    });

  const connectOptions = (cmd: Command) =>
    cmd
      .argument('[paths...]', 'project trees (default: the current directory, plus the user-scope configs of the home)')
      .option('--home <dir>', 'use DIR as the home directory for discovery')
      .option('--os <list>', 'with --home: only these layouts (comma-separated: linux, macos, windows)')
      .option('--system-root <dir>', 'root of the machine for managed configs')
      .option('--exclude <glob>', 'leave paths matching GLOB out of project walks; repeatable', collect, [])
      .option('--walk-home', 'also connect to the servers of every project found inside the home')
      .option('--connect <scope>', '"user": only servers outside repositories; "all" (default)')
      .option('-y, --yes', 'run declared servers without asking (CI)')
      .option('--identify-as <client>', 'the clientInfo name to send (a client id such as cursor, or any NAME[@VERSION])')
      .option('--connect-timeout <ms>', 'deadline per server, milliseconds (default 15000)')
      .option('--connect-concurrency <n>', 'servers inspected at once (default 8)')
      .option('--lockfile <file>', 'one lockfile for every server instead of warden.lock.json per project and the user\'s own');

  connectOptions(
    program
      .command('pin')
      .description(
        'Connect to each server and record what it shows the model (identity, launch, a SHA-256 of every tool,\n' +
          'prompt and resource definition and of its instructions) in a lockfile: warden.lock.json at a project\'s\n' +
          'root (commit it), ~/.config/warden/warden.lock.json for user-scope servers.',
      ),
  )
    .option('--update', 'accept drift: rewrite entries of servers whose definitions changed (review `warden verify` first)')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./pin-command.js')).runPin(paths, options);
    });

  connectOptions(program.command('verify').description('Connect again and compare with the lockfiles: exit 0 when nothing changed, 1 on any drift (the diff is printed).'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (mode 0600) instead of stdout')
    .option('--strict', 'also fail when a pinned server could not be reached')
    .action(async (paths: string[], options) => {
      process.exitCode = await (await import('./pin-command.js')).runVerify(paths, options);
    });

  program
    .command('tools')
    .description(
      'Judge MCP tool definitions without connecting to a server. FILE (or - for stdin) is a tools/list\n' +
        'result ({"tools": [...]}, prompts and resources too), a list of tools, or `warden scan --connect --format json` output.',
    )
    .argument('<file>', 'definitions to judge, or - for standard input')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write the report to FILE (mode 0600) instead of stdout')
    .addOption(failOnOption())
    .option('--server <name>', 'name of the server that lists these tools (for the report, and so its own tools are not taken for another server\'s)')
    .option('--client <id>', 'client the tools are shown to (for the report)')
    .option('--judge <url>', 'second opinion: send flagged definitions (secrets redacted) to this OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1')
    .option('--judge-model <name>', 'with --judge: the model to ask (default: the only one the endpoint lists)')
    .option('--judge-all', 'with --judge: judge every definition, not only those a rule flagged')
    .option('--judge-api-key-env <name>', 'with --judge: environment variable holding the API key (default WARDEN_JUDGE_API_KEY)')
    .option('-q, --quiet', 'table format: findings only')
    .option('--no-color', 'never colour the table')
    .action(async (file: string, options) => {
      process.exitCode = await (await import('./tools-command.js')).runTools(file, options);
    });

  const policy = program.command('policy').description('Write, check, test and explain the policy (warden.yaml) that the gateway and hooks enforce.');
  policy
    .command('init')
    .description('Write warden.yaml from a preset: observe (audit only), balanced (default), strict (deny by default).')
    .option('--preset <name>', 'observe, balanced or strict', 'balanced')
    .option('-o, --output <file>', 'where to write it', 'warden.yaml')
    .option('--force', 'replace an existing file')
    .action((options) => {
      process.exitCode = runPolicyInit(options);
    });
  policy
    .command('validate')
    .description('Check a policy file: every problem with file:line:column. Exit 1 when it is invalid.')
    .argument('[file]', 'the policy file (default: ./warden.yaml)')
    .action((file: string | undefined) => {
      process.exitCode = runPolicyValidate(file);
    });
  policy
    .command('test')
    .description('Run a table of actions and expected decisions (YAML: cases with name, action, expect, optional rule) against the policy. Exit 1 when any case fails.')
    .argument('<cases>', 'the test cases file')
    .option('--policy <file>', 'the policy to test (default: ./warden.yaml, then the user\'s, then the balanced preset)')
    .option('--preset <name>', 'test a preset instead of a file')
    .option('-o, --output <file>', 'write the report to FILE (mode 0600)')
    .action((cases: string, options) => {
      process.exitCode = runPolicyTest(cases, options);
    });
  policy
    .command('explain')
    .description('Show which rule decides an action and why each earlier rule did not.')
    .requiredOption('--action <json>', 'the action as JSON, or @FILE: {"kind": "tool_call", "server": "github", "tool": "create_issue", "args": {...}}')
    .option('--policy <file>', 'the policy (default: ./warden.yaml, then the user\'s, then the balanced preset)')
    .option('--preset <name>', 'explain against a preset')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (mode 0600)')
    .action((options) => {
      process.exitCode = runPolicyExplain(options);
    });

  program
    .command('gateway')
    .description('Run an MCP server behind Warden: clients launch `warden gateway -- COMMAND ARGS...` instead of the server, and every message passes through the policy: calls decided (allow, deny, redact, ask), tools/list filtered, pinned definitions enforced, results scanned, everything audited.')
    .argument('[command...]', 'the server command and its arguments, after --')
    .option('--upstream <url>', 'a remote server instead of a command (Streamable HTTP, or legacy SSE)')
    .option('--upstream-header <header>', 'a header for the upstream, "Name: value" (repeatable); the client\'s own credentials are never passed on', collect, [])
    .addOption(new Option('--upstream-transport <transport>', 'how to reach --upstream').choices(['auto', 'streamable-http', 'sse']).default('auto'))
    .option('--listen <address>', 'serve MCP over Streamable HTTP at http://ADDRESS/mcp (PORT or HOST:PORT; loopback unless --token) instead of stdio')
    .option('--token <token>', 'bearer token HTTP clients must send (required off loopback; or WARDEN_GATEWAY_TOKEN)')
    .option('--policy <file>', 'the policy (default: ./warden.yaml, then the user\'s, then the balanced preset)')
    .option('--preset <name>', 'enforce a preset: observe, balanced or strict')
    .option('--name <server>', 'the server\'s name in policy rules, pins and the audit log (default: the command\'s name or the URL\'s host)')
    .option('--lockfile <file>', 'enforce the pins in FILE (default: the policy\'s pinning.lockfile, else ./warden.lock.json when present)')
    .option('--audit-db <file>', 'the SQLite audit store (default: ~/.warden/audit.db)')
    .option('--audit-jsonl <file>', 'append audit events to FILE as JSON Lines instead of the SQLite store')
    .addOption(new Option('--on-audit-failure <effect>', 'when an event cannot be recorded: deny the message (fail closed) or allow it').choices(['deny', 'allow']).default('deny'))
    .option('--kill-file <file>', 'while FILE exists every call is refused (default: ~/.warden/kill)')
    .option('--request-timeout <seconds>', 'cancel a request the server has not answered after this long (0: never)', '300')
    .option('--approval-timeout <seconds>', 'how long a person has to approve a call, and how long an approval stays valid', '120')
    .action(async (command: string[], options) => {
      process.exitCode = await (await import('./gateway-command.js')).runGateway(command, options);
    });

  registerInstallCommands(program);

  // `warden hook` itself starts from bin.ts without this parser (its start-up is the agent's
  // latency); this entry makes it show in --help and serves `main()` called in-process.
  program
    .command('hook')
    .description('Judge one coding-agent action: reads the agent\'s hook payload on stdin, answers in its protocol (installed by `install --hooks`).')
    .argument('<agent>', 'claude-code, cursor, gemini, codex or copilot')
    .argument('[event]', 'the hook event, for agents whose payload does not name it (copilot)')
    .option('--policy <file>', 'policy file (default: ./warden.yaml, then the user\'s, else the balanced preset)')
    .option('--preset <name>', 'use a built-in preset: observe, balanced, strict')
    .action(async (agent: string, event: string | undefined, options: { policy?: string; preset?: string }) => {
      const args = [agent, ...(event ? [event] : []), ...(options.policy ? ['--policy', options.policy] : []), ...(options.preset ? ['--preset', options.preset] : [])];
      await (await import('./hook-loader.js')).runHookCommand(args);
    });

  registerEventsCommand(program);

  program
    .command('db')
    .description('The local vulnerability database (OSV advisories) that scans match package versions against, offline.')
    .command('update')
    .description('Replace the database with an OSV export: osv.dev\'s per-ecosystem all.zip, one advisory as JSON, a JSON list, or JSON Lines. A failed import leaves the previous database as it was.')
    .option('--from <file>', 'the OSV export to import')
    .option('--db <file>', 'the database (default: ~/.warden/vuln.db, or $WARDEN_HOME/vuln.db)')
    .addOption(new Option('-f, --format <format>', 'how to print the counts').choices(['text', 'json']).default('text'))
    .action(async (options) => {
      process.exitCode = await (await import('./db-command.js')).runDbUpdate(options);
    });

  const serve = program
    .command('serve')
    .description('Run the control plane: the HTTP API that gateways and hooks report audit events to (GET /healthz, /readyz; /api/v1/events).')
    // No commander defaults for --host and --db: the token commands take the same names, and
    // commander hands an option written after `token create` to serve when no program-wide
    // positional parsing is on; the token actions read them from here (serve-command.ts).
    .option('--host <address>', 'address to listen on (default: 127.0.0.1; anything but loopback carries tokens in clear text)')
    .option('--port <n>', 'port to listen on (0: any free port; the chosen one is printed)', '8377')
    .option('--db <url>', 'the store: a SQLite file (default: $WARDEN_HOME/server.db) or postgres://USER@HOST/DB (password from PGPASSWORD or ~/.pgpass, not the command line)')
    .action(async (options) => {
      process.exitCode = await (await import('./serve-command.js')).runServe(options);
    });
  const token = serve.command('token').description('Create and revoke the agent tokens gateways and hooks send events with.');
  token
    .command('create')
    .description('Create a token for one host and print it once (only its hash is stored).')
    .option('--host <name>', 'the host the token reports as (required)')
    .option('--label <text>', 'a note for whoever reads the token list')
    .option('--db <url>', 'the store (default: $WARDEN_HOME/server.db)')
    .action(async (options) => {
      process.exitCode = await (await import('./serve-command.js')).runTokenCreate({ ...serve.opts(), ...options });
    });
  token
    .command('revoke')
    .description('Revoke a token by the id `token create` printed; its next request is refused.')
    .argument('<id>', 'the token id')
    .option('--db <url>', 'the store (default: $WARDEN_HOME/server.db)')
    .action(async (id: string, options) => {
      process.exitCode = await (await import('./serve-command.js')).runTokenRevoke(id, { ...serve.opts(), ...options });
    });

  program
    .command('rules')
    .description('List every rule with its id, severity, category and OWASP Agentic Top 10 mapping.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action((options) => {
      process.exitCode = runRules(options);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`warden: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`warden: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 3;
  }
}
