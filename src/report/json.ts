// The JSON output: the ScanResult itself, with the inventory in its public shape (see
// public-inventory.ts). schema/scan-result.v1.json documents this exact shape; any change to it
// bumps RESULT_SCHEMA_VERSION and the schema together (test/unit/json-schema.test.ts holds them
// to each other).
import type { ScanResult } from '../core/result.js';
import { publicInventory, type PublicInventory } from './public-inventory.js';

export type PublicScanResult = Omit<ScanResult, 'inventory'> & { inventory: PublicInventory };

export function toPublicResult(result: ScanResult): PublicScanResult {
  return {
    version: result.version,
    tool: result.tool,
    scannedAt: result.scannedAt,
    target: result.target,
    inventory: publicInventory(result.inventory),
    coverage: result.coverage,
    findings: result.findings,
    warnings: result.warnings,
    summary: result.summary,
  };
}

/** Pretty JSON (2-space indent) with a trailing newline. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(toPublicResult(result), null, 2)}\n`;
}
