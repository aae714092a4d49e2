// The audit record of one thing an agent did or tried: a gateway message or a hook call. Field
// names follow the OpenTelemetry MCP and GenAI security conventions where one exists, so an export
// to an OTLP pipeline is a rename-free copy. Arguments are stored redacted (secrets replaced by the
// detector's redaction) and never in clear.

/** allow→allow, deny→deny, redact→modify, ask→the person's answer, monitor's would-have→audit. */
export type DecisionType = 'allow' | 'deny' | 'modify' | 'audit';

export interface AuditEvent {
  /** Unique id (UUID v4). */
  id: string;
  /** ISO-8601 time the request arrived. */
  time: string;
  /** The event this one belongs to (a result summary to its request, an approval to its call). */
  parentId?: string;
  /** Agent client name (clientInfo.name, or the hook's agent). */
  agent?: string;
  /** Downstream session or connection id. */
  session?: string;
  /** `mcp.method.name`: tools/call, tools/list, resources/read, ... or a hook's event name. */
  method: string;
  /** Server name as the policy knows it. */
  server?: string;
  /** `gen_ai.tool.name`. */
  tool?: string;
  /** Arguments with secrets redacted; values the policy's redact effect removed are markers. */
  args?: Record<string, unknown>;
  /** `gen_ai.security.decision.type`. */
  decision: DecisionType;
  /** `gen_ai.security.policy.id`: the deciding rule's id (or a default/built-in id). */
  rule: string;
  /** The reason a person can read. */
  reason: string;
  /** OWASP ids of the deciding rule (Agentic Top 10 / MCP Top 10), if it names any. */
  owasp?: string[];
  /** What happened: forwarded, blocked, redacted, approved, denied-by-human, error, result. */
  outcome: string;
  /** Milliseconds from request to outcome (for a result event: to the server's answer). */
  latencyMs?: number;
  /** One-line summary of a result or error (never the result's content). */
  summary?: string;
  /** Findings on the result (response scanning): rule ids. */
  findings?: string[];
  /** Set on events that matter beyond their decision: `critical` for an attempt to switch Warden off. */
  severity?: 'info' | 'low' | 'medium' | 'high' | 'critical';
}

/** Where audit events go. `record` returns once the event is durable (committed). */
export interface AuditSink {
  record(event: AuditEvent): void;
  /** Several events in one transaction (all or none), for group commit under load. */
  recordMany?(events: readonly AuditEvent[]): void;
  close(): void;
}
