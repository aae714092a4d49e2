// The one result of a scan. Every output format (table, JSON, SARIF, later CycloneDX and HTML)
// renders this; detection never knows which format will be asked for.
import type { CoverageEntry, Finding, Inventory, ScanWarning, Severity } from './types.js';

/** Bumped on any change of the JSON output's shape; schema/scan-result.v<major>.json documents it. */
export const RESULT_SCHEMA_VERSION = '1.1.0';

export interface ScanResult {
  version: string;
  tool: { name: 'warden'; version: string };
  scannedAt: string;
  /** What was scanned: the home used for user scope (or null) and the project trees walked. */
  target: {
    home: string | null;
    os: string[];
    projects: string[];
    /** `warden tools`: the file (or `-` for stdin) whose definitions were judged. */
    definitions?: string;
  };
  inventory: Inventory;
  coverage: CoverageEntry[];
  findings: Finding[];
  warnings: ScanWarning[];
  summary: {
    clients: number;
    servers: number;
    instructionFiles: number;
    findings: Record<Severity, number>;
    suppressed: number;
    filesRead: number;
    durationMs: number;
  };
}
