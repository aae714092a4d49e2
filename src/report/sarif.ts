// SARIF 2.1.0 for GitHub code scanning and any other SARIF consumer.
//
// Choices, and why:
// - tool.driver.rules lists every rule Warden knows (RULES), in RULES order, then any rule id a
//   finding carries that RULES does not know (described from the finding). A run documents what
//   was checked, not only what fired: a clean run still tells the viewer which rules passed, and
//   ruleIndex stays the same for a rule from one run to the next.
// - Artifact URIs: a file under the first scanned project root is written relative to the
//   `SRCROOT` base id (declared in run.originalUriBaseIds as that root's file: URI). In CI the
//   project root is the checkout, so the relative URI is the repository path GitHub wants.
//   Every other file (user-scope configs under the home directory, other projects, managed
//   configs) gets an absolute file: URI from pathToFileURL; a relative URI there would be misread
//   as a path inside the repository. Both forms are percent-encoded (spaces, `#`, `%`, non-ASCII).
// - A finding without a file (about a whole server, say) is placed at the declaration of that
//   server in the inventory when it can be identified; it always carries a logical location
//   (client / server / tool) too, and nothing but that when no file can be found.
// - partialFingerprints carries Warden's own fingerprint under `warden/v1`: stable across runs
//   and machines, so code scanning matches an alert to the same problem after lines move. We do
//   not set `primaryLocationLineHash`: GitHub's upload computes it from the file itself.
// - security-severity (GitHub's 0.0–10.0 scale) is a rule property, so it follows the rule's
//   default severity; a finding's own severity sets the result's `level`.
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScanResult } from '../core/result.js';
import { OWASP_AGENTIC, type Finding, type Location, type ServerDecl, type Severity } from '../core/types.js';
import { RULES } from '../rules/index.js';
import type { RuleMeta } from '../rules/rule.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const WARDEN_INFORMATION_URI = 'https://warden.dev';
/** The partialFingerprints key; bump the suffix if Finding.fingerprint ever changes meaning. */
export const SARIF_FINGERPRINT_KEY = 'warden/v1';
/** The uriBaseId of the scanned project root. */
export const SARIF_SRCROOT = 'SRCROOT';

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads this rule property: >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below low. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export interface SarifOptions {
  /** Rule metadata to describe; defaults to every registered rule. */
  rules?: readonly RuleMeta[];
}

export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`;
}

/** The SARIF log as an object (renderSarif serialises it). */
export function buildSarif(result: ScanResult, options: SarifOptions = {}): Record<string, unknown> {
  const metas = ruleMetas(options.rules ?? RULES.map((r) => r.meta), result.findings);
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const root = result.target.projects[0];
  const uris = new ArtifactUris(root);

  const results = result.findings.map((f) => sarifResult(f, ruleIndex.get(f.ruleId) ?? -1, uris, result.inventory.servers));

  const notifications = result.warnings.map((w) => ({
    level: 'warning',
    message: { text: w.message },
    ...(w.file ? { locations: [{ physicalLocation: { artifactLocation: uris.artifactLocation(w.file) } }] } : {}),
  }));

  const driver = {
    name: 'warden',
    version: result.tool.version,
    ...(SEMVER.test(result.tool.version) ? { semanticVersion: result.tool.version } : {}),
    informationUri: WARDEN_INFORMATION_URI,
    rules: metas.map(reportingDescriptor),
  };

  const run: Record<string, unknown> = {
    tool: { driver },
    invocations: [
      {
        executionSuccessful: true,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    ...(uris.used && root !== undefined
      ? {
          originalUriBaseIds: {
            [SARIF_SRCROOT]: { uri: directoryUri(root), description: { text: 'The scanned project root.' } },
          },
        }
      : {}),
    // Columns come from JavaScript string offsets.
    columnKind: 'utf16CodeUnits',
    results,
    // Counts only: no paths, names or values of the inventory.
    properties: {
      resultSchemaVersion: result.version,
      scannedAt: result.scannedAt,
      inventory: {
        clients: result.summary.clients,
        servers: result.summary.servers,
        instructionFiles: result.summary.instructionFiles,
      },
      findings: result.summary.findings,
      suppressed: result.summary.suppressed,
      filesRead: result.summary.filesRead,
      durationMs: result.summary.durationMs,
    },
  };

  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Every known rule, then rules only findings mention (described from their first finding), sorted by id. */
function ruleMetas(known: readonly RuleMeta[], findings: readonly Finding[]): RuleMeta[] {
  const out = [...known];
  const seen = new Set(known.map((m) => m.id));
  const extra = new Map<string, RuleMeta>();
  for (const f of findings) {
    if (seen.has(f.ruleId) || extra.has(f.ruleId)) continue;
    extra.set(f.ruleId, {
      id: f.ruleId,
      title: f.title,
      description: f.title,
      severity: f.severity,
      category: f.category,
      owasp: f.owasp,
      remediation: f.remediation,
    });
  }
  out.push(...[...extra.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return out;
}

function reportingDescriptor(meta: RuleMeta): Record<string, unknown> {
  const name = pascalName(meta.title);
  const owasp = meta.owasp.map((id) => `- ${id}: ${OWASP_AGENTIC[id]}`).join('\n');
  const markdown = [
    `**${meta.title}**`,
    meta.description,
    `**Remediation**\n\n${meta.remediation}`,
    ...(owasp ? [`**OWASP Top 10 for Agentic Applications**\n\n${owasp}`] : []),
  ].join('\n\n');
  return {
    id: meta.id,
    // SARIF wants `name` to differ from the opaque id, and to be omitted rather than repeat it.
    ...(name && name.toLowerCase() !== meta.id.toLowerCase() ? { name } : {}),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: `${meta.description}\n\nRemediation: ${meta.remediation}`, markdown },
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: {
      tags: [...new Set<string>([meta.category, ...meta.owasp, 'security'])],
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

/** "Hard-coded secret in env" → "HardCodedSecretInEnv". */
function pascalName(title: string): string {
  return title
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function sarifResult(f: Finding, ruleIndex: number, uris: ArtifactUris, servers: readonly ServerDecl[]): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [sarifLocation(f.location, uris, servers)],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: f.fingerprint },
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: suppressionKind(f),
              status: 'accepted',
              justification: f.suppressed.reason,
              properties: { source: f.suppressed.source },
            },
          ],
        }
      : {}),
    properties: {
      title: f.title,
      severity: f.severity,
      category: f.category,
      owasp: f.owasp,
      pointer: f.location.pointer,
      client: f.location.client,
      server: f.location.server,
      tool: f.location.tool,
      definition: f.location.definition,
      range: f.location.range,
      // Redacted by the rule that produced it (secrets keep only their first 4 characters).
      evidence: f.evidence,
    },
  };
}

function sarifLocation(loc: Location, uris: ArtifactUris, servers: readonly ServerDecl[]): Record<string, unknown> {
  const logical = logicalLocation(loc);
  let physical: Record<string, unknown> | undefined;
  if (loc.file) {
    physical = physicalLocation(uris, loc.file, loc.line, loc.column);
  } else {
    const server = declaringServer(loc, servers);
    if (server) physical = physicalLocation(uris, server.file, server.line, server.column);
  }
  return {
    ...(physical ? { physicalLocation: physical } : {}),
    // A location needs at least one of the two; "host" stands for the scanned machine itself.
    ...(logical || !physical ? { logicalLocations: [logical ?? { name: 'host', kind: 'resource' }] } : {}),
  };
}

function physicalLocation(uris: ArtifactUris, file: string, line?: number, column?: number): Record<string, unknown> {
  return {
    artifactLocation: uris.artifactLocation(file),
    ...(line !== undefined && line >= 1
      ? { region: { startLine: line, ...(column !== undefined && column >= 1 ? { startColumn: column } : {}) } }
      : {}),
  };
}

function logicalLocation(loc: Location): Record<string, unknown> | undefined {
  const path = [loc.client, loc.server, loc.tool].filter((p): p is string => !!p);
  const fullyQualifiedName = path.join('/');
  if (loc.tool) return { name: loc.tool, fullyQualifiedName, kind: 'function' };
  if (loc.server) return { name: loc.server, fullyQualifiedName, kind: 'module' };
  if (loc.client) return { name: loc.client, fullyQualifiedName, kind: 'namespace' };
  return undefined;
}

/** The inventory entry a server-level finding is about: by id, else by a name that is unique for that client. */
function declaringServer(loc: Location, servers: readonly ServerDecl[]): ServerDecl | undefined {
  if (!loc.server) return undefined;
  const byId = servers.find((s) => s.id === loc.server);
  if (byId) return byId;
  const named = servers.filter((s) => s.name === loc.server && (!loc.client || s.client === loc.client));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * `inSource` when the suppression sits in the file the finding is about (an inline comment);
 * `external` when it came from elsewhere (an ignore file, a baseline, the command line).
 */
function suppressionKind(f: Finding): 'inSource' | 'external' {
  const source = f.suppressed?.source ?? '';
  if (/^(?:inline|in-?source|comment)\b/i.test(source)) return 'inSource';
  const file = f.location.file;
  if (file && (source === file || source.startsWith(`${file}:`))) return 'inSource';
  return 'external';
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

class ArtifactUris {
  /** Whether any location was written relative to SRCROOT (originalUriBaseIds is emitted only then). */
  used = false;

  constructor(private readonly root: string | undefined) {}

  artifactLocation(file: string): { uri: string; uriBaseId?: string } {
    if (this.root !== undefined && isAbsolute(file)) {
      const rel = relative(this.root, file);
      if (rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`)) {
        this.used = true;
        return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SARIF_SRCROOT };
      }
    }
    return { uri: pathToFileURL(file).href };
  }
}
