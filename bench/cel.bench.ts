// Policy condition throughput: 50 realistic `when` conditions (paths, hosts, globs, regexes,
// taint, capabilities, office hours, sizes), each compiled once and evaluated against realistic
// contexts. Prints evaluations per second and nanoseconds per condition, then a whole-policy pass
// (every condition against one fresh context per decision, the worst case for the evaluator,
// which normally stops at the first rule that decides and skips rules whose match fails).
// Targets: a typical condition at 1,000,000 evaluations/s; a 50-rule policy at 200,000
// decisions/s. Both passes are printed: all 50 conditions per decision, and as the evaluator runs
// a policy (rules filtered by their `match` on the action kind, the first true condition decides).
//   node scripts/build.mjs --tests && node build/bench/cel.bench.js
import { compileCondition, type CompiledCondition } from '../src/policy/cel.js';
import type { PolicyContext } from '../src/policy/types.js';

const TARGET_CONDITION_PER_S = 1_000_000;
const TARGET_DECISIONS_PER_S = 200_000;

/** Which action kinds a rule matches (its `match: { kind }`), and its condition. */
const FILES = ['file_read', 'file_write', 'tool_call', 'resource_read'] as const;
const NET = ['fetch', 'tool_call'] as const;
const SHELL = ['shell'] as const;
const TOOLS = ['tool_call'] as const;
const ANY = null;
const RULES: readonly { kinds: readonly string[] | null; when: string }[] = [
  // files
  { kinds: FILES, when: 'has(args.path) && args.path.within("~/.ssh")' },
  { kinds: FILES, when: 'has(args.path) && args.path.within(["~/.aws", "~/.config/gcloud", "~/.azure", "~/.kube"])' },
  { kinds: FILES, when: 'has(args.path) && !args.path.within("/home/me/project")' },
  { kinds: FILES, when: 'has(args.path) && (glob(args.path, "**/.env") || glob(args.path, "**/.env.*"))' },
  { kinds: FILES, when: 'has(args.path) && glob(args.path, ["**/*.pem", "**/*.key", "**/id_rsa*", "**/id_ed25519*"])' },
  { kinds: FILES, when: 'has(args.path) && ext(args.path) in [".pem", ".p12", ".pfx", ".key"]' },
  { kinds: FILES, when: 'has(args.path) && basename(args.path) in [".netrc", ".npmrc", ".pypirc", ".git-credentials"]' },
  { kinds: FILES, when: 'has(args.path) && normalize(args.path).startsWith("/etc/")' },
  { kinds: FILES, when: 'action.kind == "file_write" && has(args.path) && args.path.within(["/usr", "/bin", "/sbin", "/etc"])' },
  { kinds: FILES, when: 'action.kind == "file_write" && has(args.content) && size(args.content) > byteSize("1MiB")' },
  { kinds: FILES, when: 'has(args.path) && args.path.lowerAscii().within("~/library/keychains")' },
  { kinds: FILES, when: 'has(args.path) && glob(args.path, "/home/*/.mozilla/**")' },
  // network
  { kinds: NET, when: 'has(args.url) && isPrivateHost(host(args.url))' },
  { kinds: NET, when: 'has(args.url) && host(args.url) in ["169.254.169.254", "metadata.google.internal"]' },
  { kinds: NET, when: 'has(args.url) && !hostMatches(host(args.url), ["github.com", "*.github.com", "*.githubusercontent.com", "registry.npmjs.org"])' },
  { kinds: NET, when: 'has(args.url) && hostMatches(host(args.url), ["*.ngrok.io", "*.ngrok-free.app", "webhook.site", "*.requestcatcher.com"])' },
  { kinds: NET, when: 'has(args.url) && args.url.startsWith("http://")' },
  { kinds: NET, when: 'has(args.url) && host(args.url).endsWith(".onion")' },
  { kinds: NET, when: '"egress" in tool.capabilities && "untrusted-input" in session.taint' },
  { kinds: NET, when: '"egress" in tool.capabilities && ("reads-private-data" in session.taint || "secrets" in session.taint)' },
  // shell
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("(curl|wget)[^|;&]*[|]\\\\s*(sudo\\\\s+)?(ba|z)?sh\\\\b")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("\\\\brm\\\\s+(-[a-zA-Z]*[rR][a-zA-Z]*\\\\s+|--recursive\\\\s+)+(/|~|\\\\$HOME)(\\\\s|$)")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("^\\\\s*sudo\\\\b")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("(?i)\\\\b(mkfs|dd\\\\s+if=|:\\\\(\\\\)\\\\s*\\\\{)")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.contains("--no-verify")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("git\\\\s+push\\\\s+.*--force")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("\\\\bchmod\\\\s+(-R\\\\s+)?777\\\\b")' },
  { kinds: SHELL, when: 'has(args.command) && size(args.command) > 4096' },
  { kinds: SHELL, when: 'has(args.command) && args.command.matches("base64\\\\s+(-d|--decode)")' },
  { kinds: SHELL, when: 'has(args.command) && args.command.split(" ").exists(w, w in ["nc", "ncat", "socat", "telnet"])' },
  // tools, servers, identity
  { kinds: TOOLS, when: '"destructive" in tool.capabilities' },
  { kinds: TOOLS, when: '"destructive" in tool.capabilities && !(agent.name in ["ci-bot", "release-bot"])' },
  { kinds: TOOLS, when: 'tool.name.startsWith("delete_") || tool.name.startsWith("drop_")' },
  { kinds: TOOLS, when: 'glob(tool.name, ["*_delete", "*_destroy", "*_purge"])' },
  { kinds: TOOLS, when: 'server.name == "github" && tool.name in ["create_pull_request", "merge_pull_request", "push_files"]' },
  { kinds: TOOLS, when: 'server.name == "slack" && tool.name == "post_message" && "untrusted-input" in session.taint' },
  { kinds: TOOLS, when: 'action.client == "cursor" && "code-execution" in tool.capabilities' },
  { kinds: TOOLS, when: 'agent.user == "root" || agent.host.endsWith(".prod.example.com")' },
  { kinds: TOOLS, when: '!("writes" in tool.capabilities) && !("egress" in tool.capabilities) && !("code-execution" in tool.capabilities)' },
  { kinds: TOOLS, when: 'tool.capabilities.exists(c, c in ["egress", "sends-messages"]) && session.calls > 200' },
  // arguments
  { kinds: TOOLS, when: 'has(args.query) && args.query.matches("(?i)\\\\b(drop|truncate)\\\\s+table\\\\b")' },
  { kinds: TOOLS, when: 'has(args.count) && args.count > 1000' },
  { kinds: TOOLS, when: 'has(args.recursive) && args.recursive == true' },
  { kinds: TOOLS, when: 'has(args.branch) && args.branch in ["main", "master", "release"]' },
  { kinds: TOOLS, when: 'args.?dry_run.orValue(false) == false && "destructive" in tool.capabilities' },
  { kinds: TOOLS, when: 'has(args.to) && !args.to.endsWith("@example.com")' },
  // time and session
  { kinds: ANY, when: 'time.hour < 7 || time.hour >= 20 || time.weekday == 0 || time.weekday == 6' },
  { kinds: ANY, when: 'time.now.getHours("Europe/Zurich") >= 22' },
  { kinds: ANY, when: 'session.calls > 500' },
  { kinds: ANY, when: 'size(session.taint) > 0 && "destructive" in tool.capabilities' },
];
const CONDITIONS = RULES.map((r) => r.when);

function context(i: number): PolicyContext {
  const variants: Omit<PolicyContext, 'agent' | 'session' | 'time'>[] = [
    { action: { kind: 'file_read', client: 'claude-code' }, server: { name: '' }, tool: { name: 'Read', capabilities: ['reads-private-data'] }, args: { path: '/home/me/project/src/index.ts' } },
    { action: { kind: 'file_write', client: 'claude-code' }, server: { name: '' }, tool: { name: 'Write', capabilities: ['writes'] }, args: { path: '/home/me/project/README.md', content: 'x'.repeat(2000) } },
    { action: { kind: 'shell', client: 'claude-code' }, server: { name: '' }, tool: { name: 'Bash', capabilities: ['code-execution'] }, args: { command: 'npm test -- --coverage && git status' } },
    { action: { kind: 'fetch', client: 'cursor' }, server: { name: '' }, tool: { name: 'WebFetch', capabilities: ['egress', 'untrusted-input'] }, args: { url: 'https://docs.github.com/en/rest' } },
    { action: { kind: 'tool_call', client: 'vscode' }, server: { name: 'github' }, tool: { name: 'create_issue', capabilities: ['writes', 'egress'] }, args: { owner: 'acme', repo: 'web', title: 'Bug', count: 3 } },
    { action: { kind: 'tool_call', client: 'claude-desktop' }, server: { name: 'postgres' }, tool: { name: 'query', capabilities: ['reads-private-data'] }, args: { query: 'select id, name from users where id = 42' } },
  ];
  const v = variants[i % variants.length]!;
  return {
    ...v,
    agent: { id: `agent-${i % 7}`, name: 'claude', user: 'me', host: 'laptop.local' },
    session: { id: `s-${i % 13}`, taint: i % 3 === 0 ? ['untrusted-input'] : [], calls: i % 300, history: [] },
    time: { now: '2026-03-02T14:05:00.000Z', hour: 15, weekday: 1 },
  };
}

function compileAll(): { source: string; condition: CompiledCondition }[] {
  return CONDITIONS.map((source) => {
    const c = compileCondition(source);
    if (!c.ok) throw new Error(`bench condition does not compile: ${source}: ${c.error.message}`);
    return { source, condition: c.condition };
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function main(): void {
  const t0 = performance.now();
  const compiled = compileAll();
  const compileMs = performance.now() - t0;
  console.log(`compiled ${compiled.length} conditions in ${compileMs.toFixed(1)} ms (${((compileMs * 1000) / compiled.length).toFixed(0)} µs each, first compile)`);

  // Contexts are built fresh per decision by the evaluator; per condition, reuse a few (the
  // conversion to CEL values is cached per context, as it is within one decision).
  const contexts = Array.from({ length: 60 }, (_, i) => context(i));
  let errors = 0;
  let trues = 0;
  for (const { condition } of compiled)
    for (const ctx of contexts) {
      const r = condition(ctx);
      if (!r.ok) errors++;
      else if (r.value) trues++;
    }
  if (errors) throw new Error(`${errors} evaluations failed`);

  const perCondition: { source: string; ns: number }[] = [];
  const ITER = 200_000;
  for (const { source, condition } of compiled) {
    for (let i = 0; i < 20_000; i++) condition(contexts[i % contexts.length]!);
    const t = performance.now();
    for (let i = 0; i < ITER; i++) condition(contexts[i % contexts.length]!);
    perCondition.push({ source, ns: ((performance.now() - t) * 1e6) / ITER });
  }
  const sorted = perCondition.map((p) => p.ns).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  console.log('\nper condition (ns per evaluation):');
  for (const p of perCondition) console.log(`  ${p.ns.toFixed(0).padStart(6)}  ${p.source.length > 100 ? `${p.source.slice(0, 97)}...` : p.source}`);
  console.log(`\nmedian ${median.toFixed(0)} ns (${fmt(1e9 / median)} evaluations/s), mean ${mean.toFixed(0)} ns, slowest ${sorted[sorted.length - 1]!.toFixed(0)} ns`);

  // Whole policy: every one of the 50 conditions evaluated per decision. Decisions cycle through
  // 600 distinct contexts, so each decision converts its context afresh (as a new context would
  // be) while the contexts stay in the CPU cache, as the one the evaluator has just built is.
  const DECISIONS = 100_000;
  const pool = Array.from({ length: 600 }, (_, i) => context(i));
  for (let i = 0; i < 2000; i++) for (const { condition } of compiled) condition(pool[i % pool.length]!);
  const t = performance.now();
  for (let i = 0; i < DECISIONS; i++) {
    const ctx = pool[i % pool.length]!;
    for (const { condition } of compiled) condition(ctx);
  }
  const ms = performance.now() - t;
  const decisionsPerS = (DECISIONS * 1000) / ms;
  console.log(
    `\nwhole policy: ${fmt(decisionsPerS)} decisions/s evaluating all ${compiled.length} conditions per decision ` +
      `(${((ms * 1e6) / DECISIONS / compiled.length).toFixed(0)} ns per condition incl. context conversion; ${trues} of ${compiled.length * contexts.length} sample evaluations true)`,
  );

  // As the evaluator decides: rules whose `match` (here: the action kind) fails are skipped,
  // the first rule whose condition holds decides, and a fresh context is built per decision.
  const byKind = new Map<string, CompiledCondition[]>();
  for (const kind of new Set(pool.map((c) => c.action.kind)))
    byKind.set(
      kind,
      compiled.filter((_, i) => RULES[i]!.kinds === null || RULES[i]!.kinds!.includes(kind)).map((c) => c.condition),
    );
  let evaluated = 0;
  const t2 = performance.now();
  for (let i = 0; i < DECISIONS; i++) {
    const ctx = pool[i % pool.length]!;
    for (const condition of byKind.get(ctx.action.kind)!) {
      evaluated++;
      const r = condition(ctx);
      if (!r.ok || r.value) break;
    }
  }
  const ms2 = performance.now() - t2;
  const realisticPerS = (DECISIONS * 1000) / ms2;
  console.log(`as the evaluator runs it: ${fmt(realisticPerS)} decisions/s (${(evaluated / DECISIONS).toFixed(1)} conditions evaluated per decision on average)`);

  const okCondition = 1e9 / median >= TARGET_CONDITION_PER_S;
  console.log(
    `\ntypical condition ${okCondition ? 'meets' : 'MISSES'} ${fmt(TARGET_CONDITION_PER_S)} evaluations/s; ` +
      `decisions ${realisticPerS >= TARGET_DECISIONS_PER_S ? 'meet' : 'MISS'} ${fmt(TARGET_DECISIONS_PER_S)}/s as the evaluator runs them, ` +
      `and ${decisionsPerS >= TARGET_DECISIONS_PER_S ? 'meet' : 'miss'} it with all ${compiled.length} conditions evaluated every time`,
  );
}

main();
