// Every piece of text a server shows the model inside one definition, with the JSON pointer of
// the field it sits in. Poison hides in schema property descriptions, enum values, defaults and
// annotation titles as often as in the description, so detectors read all of it, not only the
// fields a client displays. Extracted once per definition and shared by every rule.
import type { McpDefinition } from '../core/types.js';

/**
 * What a text is, which decides how it is judged: a name is an identifier (homoglyphs matter),
 * a description is prose addressed to the model, a value is data the model may copy into a call.
 */
export type TextRole =
  | 'name'
  | 'title'
  | 'description'
  | 'property-name'
  | 'schema-description'
  | 'schema-value'
  | 'annotation'
  | 'instructions'
  | 'other';

export interface DefinitionText {
  /** RFC 6901 pointer inside the definition's raw object. */
  pointer: string;
  role: TextRole;
  text: string;
}

/** Deeper than any honest schema; a hostile one may nest thousands of levels. */
export const MAX_DEPTH = 64;
/** Texts per definition beyond which the rest is not read (and the caller is told). */
export const MAX_TEXTS = 200_000;

export interface ExtractedTexts {
  texts: DefinitionText[];
  /** Set when the definition nested deeper than MAX_DEPTH or held more than MAX_TEXTS texts. */
  truncated?: 'depth' | 'count';
}

function escapeSegment(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replaceAll('~', '~0').replaceAll('/', '~1') : s;
}

/** Keywords under which a JSON Schema holds a map from property names to subschemas. */
const PROPERTY_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose string values are data the model sees as examples or choices. */
const VALUE_KEYS = new Set(['enum', 'const', 'default', 'examples', 'example']);

function roleOf(path: readonly string[], inSchema: boolean, inAnnotations: boolean, kind: McpDefinition['kind']): TextRole {
  const last = path[path.length - 1];
  if (kind === 'instructions') return 'instructions';
  if (path.length === 1) {
    if (last === 'name' || last === 'uri' || last === 'uriTemplate') return 'name';
    if (last === 'title') return 'title';
    if (last === 'description') return 'description';
  }
  if (inAnnotations) return last === 'title' ? 'title' : 'annotation';
  if (inSchema) {
    if (path.some((p) => VALUE_KEYS.has(p))) return 'schema-value';
    if (last === 'description' || last === 'title') return 'schema-description';
  }
  // Prompt arguments: `arguments/0/name`, `arguments/0/description`.
  if (path[0] === 'arguments') return last === 'name' ? 'property-name' : last === 'description' ? 'schema-description' : 'other';
  return 'other';
}

/**
 * Walks the definition iteratively (a hostile schema cannot overflow the stack) in document order.
 * Property names of schemas are texts too: the model reads `{"note_with_contents_of_id_rsa": …}`.
 */
export function definitionTexts(def: McpDefinition): ExtractedTexts {
  const texts: DefinitionText[] = [];
  let truncated: ExtractedTexts['truncated'];
  interface Frame {
    value: unknown;
    path: string[];
    pointer: string;
  }
  const stack: Frame[] = [{ value: def.raw, path: [], pointer: '' }];
  while (stack.length > 0) {
    const { value, path, pointer } = stack.pop()!;
    if (texts.length >= MAX_TEXTS) {
      truncated = 'count';
      break;
    }
    const inSchema = path[0] === 'inputSchema' || path[0] === 'outputSchema';
    if (typeof value === 'string') {
      if (value.length > 0) texts.push({ pointer, role: roleOf(path, inSchema, path[0] === 'annotations', def.kind), text: value });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) {
      truncated ??= 'depth';
      continue;
    }
    const children: Frame[] = [];
    if (Array.isArray(value)) {
      value.forEach((v, i) => children.push({ value: v, path: [...path, String(i)], pointer: `${pointer}/${i}` }));
    } else {
      const parentKey = path[path.length - 1];
      const namesProperties = inSchema && parentKey !== undefined && PROPERTY_MAPS.has(parentKey) && !VALUE_KEYS.has(path[path.length - 2] ?? '');
      for (const key of Object.keys(value)) {
        const childPointer = `${pointer}/${escapeSegment(key)}`;
        if (namesProperties && key.length > 0) texts.push({ pointer: childPointer, role: 'property-name', text: key });
        children.push({ value: (value as Record<string, unknown>)[key], path: [...path, key], pointer: childPointer });
      }
    }
    // Reverse so the stack pops children in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return truncated ? { texts, truncated } : { texts };
}
