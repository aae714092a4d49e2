// A stdio downstream over an Upstream, for the HTTP gateway's end-to-end tests: reads
// newline-delimited JSON-RPC on stdin and relays it to an HttpUpstream (`node stdio-relay.js URL`)
// or a StdioUpstream (`node stdio-relay.js -- COMMAND ARGS...`); what the server sends comes out
// on stdout, one message a line. It is the shape of `warden gateway` minus the policy.
import { readFrames } from '../../src/gateway/line-reader.js';
import { HttpUpstream } from '../../src/gateway/http-upstream.js';
import { StdioUpstream } from '../../src/gateway/stdio-upstream.js';
import { frameText, type Frame, type Upstream } from '../../src/gateway/transport.js';

const args = process.argv.slice(2);
const warn = (line: string) => process.stderr.write(`relay: ${line}\n`);
const upstream: Upstream = args[0] === '--' ? new StdioUpstream({ command: args[1]!, args: args.slice(2), warn }) : new HttpUpstream({ url: args[0]!, warn });
let queue: Frame[] | undefined = [];

readFrames(
  process.stdin,
  (f) => {
    if (!f.ok) return warn(`not JSON: ${f.line}`);
    const frame = { message: f.message, line: f.line };
    if (queue) queue.push(frame);
    else upstream.send(frame);
  },
  () => warn('a message over 10 MB; dropped'),
);
process.stdin.on('end', () => void upstream.close().then(() => process.exit(0)));

await upstream.start({
  frame: (f) => process.stdout.write(`${frameText(f)}\n`),
  closed: (reason) => {
    warn(`upstream closed: ${reason}`);
    process.exit(0);
  },
});
for (const frame of queue) upstream.send(frame);
queue = undefined;
