// Realistic rules beyond the balanced preset's, for benchmarks that need a 50-rule policy: each
// names a server and tools, and most carry a condition on the arguments.
import { parsePolicy } from '../src/policy/load.js';
import { PRESETS } from '../src/policy/presets.js';

export function extraRules(count: number, servers: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const server = servers[i % servers.length]!;
    switch (i % 4) {
      case 0:
        out.push(`  - id: ${server}-write-${i}\n    match: { kind: tool_call, server: ${server}, tool: "create_*" }\n    when: has(args.repo) && args.repo.startsWith("acme/secret-${i}")\n    effect: deny\n    reason: r${i}`);
        break;
      case 1:
        out.push(`  - id: ${server}-path-${i}\n    match: { kind: [tool_call, file_read], server: ${server} }\n    when: has(args.path) && glob(args.path, "/srv/private-${i}/**")\n    effect: ask\n    reason: r${i}`);
        break;
      case 2:
        out.push(`  - id: ${server}-size-${i}\n    match: { kind: tool_call, server: ${server}, tool: "*_query" }\n    when: has(args.limit) && args.limit > ${1000 + i}\n    effect: ask\n    reason: r${i}`);
        break;
      default:
        out.push(`  - id: ${server}-name-${i}\n    match: { kind: tool_call, server: ${server}, tool: "delete_*" }\n    effect: ask\n    reason: r${i}`);
    }
  }
  return out.join('\n') + '\n';
}


/** The balanced preset's rules plus enough of the above, spread over `servers`, to make 50. */
export function fiftyRulePolicy(servers: readonly string[]): string {
  const balanced = parsePolicy('balanced', PRESETS.balanced).policy!;
  return PRESETS.balanced + extraRules(50 - balanced.rules.length, servers);
}
