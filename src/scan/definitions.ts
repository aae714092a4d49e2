// Judging what servers show the model: every definition rule over every tool, prompt, resource
// and server instructions, then the rules that judge one client's definitions together (name
// collisions, toxic flows). Used by `warden scan --connect` and `warden tools FILE`.
import type { Finding, Location, McpDefinition } from '../core/types.js';
import type { JudgeVerdict } from '../inspect/judge.js';
import { fromPointer, type ConfigDocument, type PathSegment } from '../parse/document.js';
import { definitionTexts } from '../inspect/texts.js';
import type { Rule, RuleHit } from '../rules/rule.js';
import { dedupe, finding, type Root } from './findings.js';

export interface DefinitionSource {
  def: McpDefinition;
  client?: string;
  server?: string;
  /** The file the definition was read from and its path there (`warden tools FILE`): findings get the field's line. */
  origin?: { doc: ConfigDocument; base: readonly PathSegment[] };
  /** Otherwise, where the server that listed it is declared, so SARIF viewers have a line to show. */
  declaredAt?: { file: string; line: number; column: number };
}

function locationOf(src: DefinitionSource, hit: RuleHit): Location {
  const at = hit.at && 'pointer' in hit.at ? hit.at : undefined;
  const pointer = at?.pointer ?? '';
  const where = src.origin
    ? { file: src.origin.doc.path, ...src.origin.doc.locate([...src.origin.base, ...fromPointer(pointer)]) }
    : src.declaredAt;
  return {
    ...(where ? { file: where.file, line: where.line, column: where.column } : {}),
    ...(src.client !== undefined ? { client: src.client } : {}),
    ...(src.server !== undefined ? { server: src.server } : {}),
    tool: src.def.name,
    definition: src.def.kind,
    pointer,
    ...(at?.offset !== undefined ? { range: { start: at.offset, end: at.offset + (at.length ?? 0) } } : {}),
  };
}

/** Groups sources by the server that listed them (siblings) and by client (set rules). */
function groupBy<K>(sources: readonly DefinitionSource[], key: (s: DefinitionSource) => K): Map<K, DefinitionSource[]> {
  const m = new Map<K, DefinitionSource[]>();
  for (const s of sources) {
    const k = key(s);
    const list = m.get(k);
    if (list) list.push(s);
    else m.set(k, [s]);
  }
  return m;
}

/**
 * Runs the definition rules. Inline suppressions do not apply: the text belongs to the server, and
 * a server must not be able to silence Warden by writing `warden-ignore` into its description.
 */
export function evaluateDefinitions(sources: readonly DefinitionSource[], rules: readonly Rule[], roots: Root[] = [], verdicts?: ReadonlyMap<McpDefinition, JudgeVerdict>): Finding[] {
  const out: Finding[] = [];
  const byServer = groupBy(sources, (s) => `${s.client ?? ''}\0${s.server ?? ''}`);
  const siblingsOf = new Map<string, Set<string>>();
  for (const [k, list] of byServer) siblingsOf.set(k, new Set(list.filter((s) => s.def.kind === 'tool' || s.def.kind === 'prompt').map((s) => s.def.name)));
  const definitionRules = rules.filter((r) => r.checkDefinition);
  if (definitionRules.length > 0) {
    for (const src of sources) {
      const { texts, truncated } = definitionTexts(src.def);
      const subject = {
        def: src.def,
        texts,
        ...(truncated ? { truncated } : {}),
        ...(verdicts?.has(src.def) ? { verdict: verdicts.get(src.def)! } : {}),
        ...(src.server !== undefined ? { server: src.server } : {}),
        ...(src.client !== undefined ? { client: src.client } : {}),
        siblings: siblingsOf.get(`${src.client ?? ''}\0${src.server ?? ''}`)!,
      };
      for (const rule of definitionRules) {
        for (const hit of rule.checkDefinition!(subject)) out.push(finding(rule, hit, roots, locationOf(src, hit), []));
      }
    }
  }
  const setRules = rules.filter((r) => r.checkDefinitionSet);
  if (setRules.length > 0) {
    for (const [client, list] of groupBy(sources, (s) => s.client ?? '')) {
      const sourceOf = new Map(list.map((s) => [s.def, s]));
      const entries = list.map((s) => ({ server: s.server ?? '', def: s.def }));
      for (const rule of setRules) {
        for (const hit of rule.checkDefinitionSet!({ client, entries })) {
          const src = sourceOf.get(hit.def) ?? { def: hit.def, server: hit.server, client };
          out.push(finding(rule, hit, roots, locationOf(src, hit), []));
        }
      }
    }
  }
  return dedupe(out);
}
