// Input of `warden tools FILE`: definitions to judge without connecting to anything. Accepts what
// people have at hand: a `tools/list` result (`{"tools": [...]}`, optionally with prompts,
// resources and templates, or wrapped in its JSON-RPC response), a bare list of tools, or
// Warden's own JSON output from `warden scan --connect` (its `inventory.inspections`).
import { isObject } from '../core/json.js';
import type { DefinitionKind, McpDefinition } from '../core/types.js';
import { parseConfig, type ConfigDocument, type PathSegment } from '../parse/document.js';
import type { DefinitionSource } from '../scan/definitions.js';

export class ToolsInputError extends Error {}

export interface ToolsInput {
  sources: DefinitionSource[];
  /** What shape the input had, for the report's summary. */
  shape: 'tools/list result' | 'tool list' | 'warden result';
}

const LIST_KEYS: readonly { key: string; kind: DefinitionKind; nameKey: string }[] = [
  { key: 'tools', kind: 'tool', nameKey: 'name' },
  { key: 'prompts', kind: 'prompt', nameKey: 'name' },
  { key: 'resources', kind: 'resource', nameKey: 'uri' },
  { key: 'resourceTemplates', kind: 'resource-template', nameKey: 'uriTemplate' },
];


function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function definitionAt(doc: ConfigDocument, path: PathSegment[], value: unknown, kind: DefinitionKind, nameKey: string): McpDefinition {
  const where = () => {
    const pos = doc.locate(path);
    return `${doc.path}:${pos.line}:${pos.column}: /${path.join('/')}`;
  };
  if (!isObject(value)) throw new ToolsInputError(`${where()}: expected a ${kind} object, found ${describe(value)}`);
  const name = value[nameKey];
  if (typeof name !== 'string') throw new ToolsInputError(`${where()}/${nameKey}: expected a string, found ${describe(name)}`);
  return { kind, name, raw: value };
}

function fromListResult(doc: ConfigDocument, obj: Record<string, unknown>, base: PathSegment[], server?: string, client?: string): DefinitionSource[] {
  const out: DefinitionSource[] = [];
  for (const { key, kind, nameKey } of LIST_KEYS) {
    const list = obj[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ToolsInputError(`${doc.path}: /${[...base, key].join('/')}: expected an array, found ${describe(list)}`);
    list.forEach((item, i) => {
      const path = [...base, key, i];
      out.push({ def: definitionAt(doc, path, item, kind, nameKey), origin: { doc, base: path }, ...(server !== undefined ? { server } : {}), ...(client !== undefined ? { client } : {}) });
    });
  }
  if (typeof obj['instructions'] === 'string') {
    out.push({ def: { kind: 'instructions', name: 'instructions', raw: { instructions: obj['instructions'] } }, origin: { doc, base }, ...(server !== undefined ? { server } : {}) });
  }
  return out;
}

function fromWardenResult(doc: ConfigDocument, inspections: unknown): DefinitionSource[] {
  if (!Array.isArray(inspections)) throw new ToolsInputError(`${doc.path}: /inventory/inspections: expected an array, found ${describe(inspections)}`);
  const out: DefinitionSource[] = [];
  inspections.forEach((insp, i) => {
    if (!isObject(insp) || !Array.isArray(insp['definitions'])) throw new ToolsInputError(`${doc.path}: /inventory/inspections/${i}: expected an inspection with a "definitions" array`);
    const server = typeof insp['server'] === 'string' ? insp['server'] : undefined;
    const client = typeof insp['client'] === 'string' ? insp['client'] : undefined;
    (insp['definitions'] as unknown[]).forEach((d, j) => {
      const path: PathSegment[] = ['inventory', 'inspections', i, 'definitions', j];
      if (!isObject(d) || typeof d['kind'] !== 'string' || !LIST_KEYS.some((k) => k.kind === d['kind']) && d['kind'] !== 'instructions' || typeof d['name'] !== 'string' || !isObject(d['raw'])) {
        throw new ToolsInputError(`${doc.path}: /${path.join('/')}: expected {kind, name, raw}`);
      }
      out.push({ def: { kind: d['kind'] as DefinitionKind, name: d['name'], raw: d['raw'] }, origin: { doc, base: [...path, 'raw'] }, ...(server !== undefined ? { server } : {}), ...(client !== undefined ? { client } : {}) });
    });
  });
  return out;
}

/** Parses `text` (the content of `path`, or of stdin when `path` is `-`). Throws ToolsInputError naming the file and field. */
export function parseToolsInput(path: string, text: string): ToolsInput {
  const doc = parseConfig(path, text, 'json');
  const data = doc.data;
  if (Array.isArray(data)) {
    return { shape: 'tool list', sources: data.map((item, i) => ({ def: definitionAt(doc, [i], item, 'tool', 'name'), origin: { doc, base: [i] } })) };
  }
  if (!isObject(data)) throw new ToolsInputError(`${path}: expected a tools/list result ({"tools": [...]}), a list of tools, or Warden JSON output; found ${describe(data)}`);
  if (isObject(data['inventory']) && 'inspections' in data['inventory']) return { shape: 'warden result', sources: fromWardenResult(doc, data['inventory']['inspections']) };
  // A JSON-RPC response as captured from the wire.
  if (isObject(data['result']) && LIST_KEYS.some((k) => k.key in (data['result'] as object))) {
    return { shape: 'tools/list result', sources: fromListResult(doc, data['result'], ['result']) };
  }
  if (LIST_KEYS.some((k) => k.key in data)) return { shape: 'tools/list result', sources: fromListResult(doc, data, []) };
  if (isObject(data['inventory'])) {
    throw new ToolsInputError(`${path}: this Warden result has no inspections; produce one with \`warden scan --connect --format json\``);
  }
  throw new ToolsInputError(`${path}: expected a tools/list result ({"tools": [...]}), a list of tools, or Warden JSON output; found an object with keys ${Object.keys(data).slice(0, 5).map((k) => JSON.stringify(k)).join(', ') || '(none)'}`);
}
