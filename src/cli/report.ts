// Writing a result in the format asked for. Shared by every command that produces a ScanResult
// (`scan`, `tools`), so their output and exit codes cannot drift apart.
import type { ScanResult } from '../core/result.js';
import { renderTable } from '../report/table.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { writeOutput } from './output.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  output?: string;
  quiet?: boolean;
  color: boolean;
}

export function emitResult(result: ScanResult, format: ReportFormat, o: ReportOptions): void {
  const text =
    format === 'json'
      ? renderJson(result)
      : format === 'sarif'
        ? renderSarif(result)
        : renderTable(result, { color: o.color && !o.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, quiet: Boolean(o.quiet) });
  writeOutput(o.output, text);
  if (format !== 'table' && !o.quiet) {
    // Machine formats keep stdout clean; a one-line summary still reaches a human on stderr.
    const s = result.summary;
    const what = result.target.definitions !== undefined
      ? `${result.inventory.inspections?.reduce((n, i) => n + i.definitions.length, 0) ?? 0} definitions`
      : `${s.clients} clients, ${s.servers} servers, ${s.instructionFiles} instruction files`;
    process.stderr.write(`warden: ${what}; findings: ${Object.entries(s.findings).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}\n`);
  }
}
