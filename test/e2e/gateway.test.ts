// `warden gateway -- COMMAND` between a real MCP client (the v2 SDK, negotiating the era itself)
// and a real stdio server: the policy decides every tools/call and filters tools/list; everything
// else passes through; decisions are audited without argument values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, FIXTURES, tempDir } from '../helpers/cli.js';

const ECHO = join(FIXTURES, 'servers', 'echo-stdio.mjs');

/** Warden's own state (audit store, receipt key, kill file) in a fresh folder per gateway. */
function wardenEnv(home = tempDir()): Record<string, string> {
  return { ...(process.env as Record<string, string>), WARDEN_HOME: home };
}

async function connect(args: string[], env = wardenEnv()): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'gateway', ...args, '--', process.execPath, ECHO], stderr: 'pipe', env }));
  return client;
}

const text = (r: unknown) => ((r as { content: { text: string }[] }).content[0]!.text);

describe('warden gateway (stdio)', () => {
  it('relays allowed calls, blocks by policy with a reason the model can read, and audits without values', async () => {
    const dir = tempDir();
    const audit = join(dir, 'audit.jsonl');
    const client = await connect(['--preset', 'balanced', '--name', 'echo', '--audit-jsonl', audit]);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['delete_file', 'echo', 'login']);
      assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'hello' } })), 'hello');
      const destructive = await client.callTool({ name: 'delete_file', arguments: { path: '/tmp/x' } });
      assert.equal(destructive.isError, true);
      assert.match(text(destructive), /Warden blocked this call \(ask-destructive-tools\).*approval/);
      const secret = await client.callTool({ name: 'login', arguments: { user: 'me', password: 'hunter2-Very-Secret', path: '/home/me/.ssh/id_rsa' } });
      assert.match(text(secret), /deny-secret-files/);
    } finally {
      await client.close();
    }
    assert.equal(statSync(audit).mode & 0o777, 0o600);
    const log = readFileSync(audit, 'utf8');
    const events = log.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const calls = events.filter((e) => e['mcp.method.name'] === 'tools/call' && !e['warden.event.parent_id']);
    // `ask` with no way to ask this client (no elicitation, no approvals queue) is a denial.
    assert.deepEqual(calls.map((e) => [e['gen_ai.tool.name'], e['gen_ai.security.decision.type'], e['warden.outcome']]), [['echo', 'allow', 'forwarded'], ['delete_file', 'deny', 'blocked'], ['login', 'deny', 'blocked']]);
    // The allowed call's result is recorded too, as a child of its request, with the latency.
    const result = events.find((e) => e['warden.event.parent_id'] === calls[0]!['warden.event.id']);
    assert.equal(result?.['warden.outcome'], 'result');
    assert.ok(typeof result?.['warden.latency_ms'] === 'number');
    assert.deepEqual(calls[0]!['gen_ai.tool.call.arguments'], { text: 'hello' }, 'argument values are kept once redacted');
    assert.ok(!log.includes('hunter2'), 'a password never reaches the audit log');
  });

  it('hides tools the policy denies at list time, and redacts arguments by rule', async () => {
    const dir = tempDir();
    const policy = join(dir, 'warden.yaml');
    writeFileSync(
      policy,
      `version: 1
rules:
  - id: no-delete
    match: { kind: [tool_list, tool_call], tool: "delete_*" }
    effect: deny
    reason: Deleting is not part of this agent's job.
  - id: hide-passwords
    match: { kind: tool_call, tool: login }
    effect: redact
    redact: [/password]
    reason: Passwords never go through the agent.
`,
    );
    const client = await connect(['--policy', policy, '--name', 'echo']);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['echo', 'login']);
      assert.match(text(await client.callTool({ name: 'delete_file', arguments: { path: '/x' } })), /no-delete/);
      assert.equal(text(await client.callTool({ name: 'login', arguments: { user: 'me', password: 'pw' } })), 'user=me password=[redacted by Warden]');
    } finally {
      await client.close();
    }
  });

  it('answers malformed input with a JSON-RPC parse error and keeps going', () => {
    const r = spawnSync(process.execPath, [BIN, 'gateway', '--preset', 'observe', '--', process.execPath, ECHO], {
      input: 'not json\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}\n',
      encoding: 'utf8',
      timeout: 20_000,
      env: wardenEnv(),
    });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; error?: { code: number }; result?: unknown });
    assert.equal(lines.find((l) => l.id === null)?.error?.code, -32700);
    assert.ok(lines.some((l) => l.id === 1 && l.result), 'the next message still reached the server');
  });

  it('an invalid policy stops it before the server starts (fail closed)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nrules: [ { id: x, effect: nope } ]\n');
    const r = spawnSync(process.execPath, [BIN, 'gateway', '--policy', join(dir, 'bad.yaml'), '--', process.execPath, ECHO], { encoding: 'utf8', input: '', timeout: 20_000, env: wardenEnv() });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.yaml:2:\d+: rules\[0\]\.effect/);
  });
});
