// Findings from `scan --connect`: what each server showed the model (the definition rules), how
// connecting went (inspection rules) and how it differs from its lockfile (drift rules). Every
// finding is located at the server's declaration, so SARIF viewers and the table point at the
// config line that starts the server.
import type { Finding, Location, ServerDecl, ServerInspection } from '../core/types.js';
import type { DriftEntry } from '../inspect/drift.js';
import type { Rule } from '../rules/rule.js';
import { evaluateDefinitions, type DefinitionSource } from './definitions.js';
import { dedupe, finding, type Root } from './findings.js';

function declarationOf(decl: ServerDecl | undefined): Pick<Location, 'file' | 'line' | 'column'> {
  return decl ? { file: decl.file, line: decl.line, column: decl.column } : {};
}

/** Every definition the servers showed, located at the declaration of the server that listed it. */
export function connectedSources(inspections: readonly ServerInspection[], decls: readonly ServerDecl[]): DefinitionSource[] {
  const byId = new Map(decls.map((d) => [d.id, d]));
  return inspections.flatMap((i) => {
    const decl = byId.get(i.serverId);
    return i.definitions.map((def) => ({ def, client: i.client, server: i.server, ...(decl ? { declaredAt: { file: decl.file, line: decl.line, column: decl.column } } : {}) }));
  });
}

export function judgeConnected(inspections: readonly ServerInspection[], decls: readonly ServerDecl[], drift: readonly DriftEntry[], rules: readonly Rule[], roots: Root[]): Finding[] {
  const byId = new Map(decls.map((d) => [d.id, d]));
  const out = evaluateDefinitions(connectedSources(inspections, decls), rules, roots);
  for (const rule of rules) {
    if (rule.checkInspection) {
      for (const i of inspections) {
        for (const hit of rule.checkInspection(i)) out.push(finding(rule, hit, roots, { ...declarationOf(byId.get(i.serverId)), client: i.client, server: i.server }, []));
      }
    }
    if (rule.checkDrift) {
      for (const d of drift) {
        for (const hit of rule.checkDrift(d)) {
          const location: Location = {
            ...declarationOf(d.serverId !== undefined ? byId.get(d.serverId) : undefined),
            client: d.client,
            server: d.server,
            ...(d.definition ? { tool: d.definition.name, definition: d.definition.kind } : {}),
          };
          out.push(finding(rule, hit, roots, location, []));
        }
      }
    }
  }
  return dedupe(out);
}
