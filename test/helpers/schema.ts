// The published JSON Schema of Warden's JSON output, compiled once, for tests that check a
// document against it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO } from './cli.js';

// ajv-formats is CommonJS: its module.exports is the plugin, typed as the module's default.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as typeof addFormatsModule.default;

export const RESULT_SCHEMA = JSON.parse(readFileSync(join(REPO, 'schema', 'scan-result.v1.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(RESULT_SCHEMA);

/** Schema violations of `doc`, one line each; empty when it conforms. */
export function schemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
