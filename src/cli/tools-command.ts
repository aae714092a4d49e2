// `warden tools FILE|-`: judge tool definitions without connecting to any server. For CI
// pipelines and server authors: the same detectors, formats and exit codes as `warden scan`.
import { resolve } from 'node:path';
import type { Severity } from '../core/types.js';
import { ConfigParseError } from '../parse/document.js';
import { formatBytes, readExactUtf8 } from '../parse/text.js';
import { parseToolsInput, ToolsInputError } from '../inspect/tools-file.js';
import { toolsResult } from '../scan/tools-result.js';
import { failsGate } from '../scan/scan.js';
import { UsageError } from '../core/errors.js';
import { emitResult, type ReportFormat } from './report.js';
import { judgeSettings, type JudgeCliOptions } from './judge-options.js';

/** A tools/list of 10,000 tools with long descriptions is tens of megabytes; more is not a tool list. */
export const MAX_TOOLS_INPUT = 64 * 1024 * 1024;

export interface ToolsCliOptions extends JudgeCliOptions {
  format?: ReportFormat;
  output?: string;
  failOn?: Severity;
  server?: string;
  client?: string;
  quiet?: boolean;
  color: boolean;
}

/** The input, strictly (see readExactUtf8): a file handed to `warden tools` must be exactly what its author meant. */
function readInput(file: string): { path: string; text: string } {
  const path = file === '-' ? '-' : resolve(file);
  const r = readExactUtf8(file === '-' ? 0 : path, MAX_TOOLS_INPUT);
  if (r.ok) return { path, text: r.text };
  const label = file === '-' ? 'standard input is' : 'the file is';
  switch (r.problem) {
    case 'unreadable':
      throw new UsageError(`${file === '-' ? '-: cannot read standard input' : file}: ${r.detail}`);
    case 'not-a-file':
      throw new UsageError(`${file}: ${r.detail}`);
    case 'too-large':
      throw new UsageError(`${file}: ${label} ${formatBytes(r.bytes ?? 0)}, more than the ${formatBytes(MAX_TOOLS_INPUT)} a tool list may be`);
    case 'not-utf8':
      throw new UsageError(`${file}: ${label} not valid UTF-8`);
  }
}

export async function runTools(file: string, o: ToolsCliOptions): Promise<number> {
  const judge = judgeSettings(o);
  const { path, text } = readInput(file);
  let input;
  try {
    input = parseToolsInput(path, text);
  } catch (err) {
    if (err instanceof ConfigParseError || err instanceof ToolsInputError) throw new UsageError(err.message);
    throw err;
  }
  // A plain tool list does not say which server listed it; --server/--client say it for the report.
  const sources = input.sources.map((s) => ({
    ...s,
    ...(s.server === undefined && o.server !== undefined ? { server: o.server } : {}),
    ...(s.client === undefined && o.client !== undefined ? { client: o.client } : {}),
  }));
  const result = await toolsResult(sources, { label: path, ...(judge ? { secondOpinion: judge } : {}) });
  emitResult(result, o.format ?? 'table', o);
  return o.failOn && failsGate(result, o.failOn) ? 1 : 0;
}
