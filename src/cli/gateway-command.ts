// `warden gateway [--policy FILE | --preset NAME] [--name NAME] -- COMMAND ARGS...`: what a client
// launches instead of the server; the server's stdio goes through Warden's policy.
import { basename, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { StdioGateway } from '../gateway/stdio-gateway.js';
import { policyFor } from './policy-command.js';

export interface GatewayCliOptions {
  policy?: string;
  preset?: string;
  name?: string;
  audit?: string;
}

export async function runGateway(command: string[], o: GatewayCliOptions): Promise<number> {
  if (command.length === 0) throw new UsageError('give the server to run after --, e.g. warden gateway -- npx -y @modelcontextprotocol/server-filesystem /repo');
  // Fail closed: an invalid policy stops start-up here, before the server runs.
  const policy = policyFor(o);
  const [cmd, ...args] = command as [string, ...string[]];
  const gateway = new StdioGateway({ command: cmd, args, server: o.name ?? basename(cmd), policy, ...(o.audit ? { auditFile: resolve(o.audit) } : {}) });
  return gateway.run(process.stdin, process.stdout);
}
