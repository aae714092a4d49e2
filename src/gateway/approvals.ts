// Asking a person, through the protocol itself. On a 2026-07-28 connection the gateway answers the
// held call with an InputRequiredResult carrying the question (an embedded `elicitation/create`)
// and a signed `requestState`; the client asks its user and retries the same call with the answer,
// and the state proves the retry is the call that was asked about. On a 2025-era connection whose
// client declared elicitation support, the gateway sends `elicitation/create` itself and holds the
// call until the answer arrives. Anything else cannot ask and is denied.
import { isObject } from '../core/json.js';
import type { Json } from './messages.js';

/** The key of Warden's question among a result's `inputRequests`. */
export const APPROVAL_KEY = 'dev.warden/approval';
/** Prefix of a `requestState` the gateway minted (anything else belongs to the upstream server). */
export const STATE_PREFIX = 'warden.approval.';

const SCHEMA = {
  type: 'object',
  properties: {
    approve: { type: 'boolean', title: 'Allow this call', description: 'Yes lets this one call through, with exactly these arguments.' },
  },
  required: ['approve'],
};

/** What the person is asked: the tool, the server, why, and the arguments (already redacted). */
export function approvalQuestion(server: string, tool: string, args: unknown, reason: string): string {
  let shown = JSON.stringify(args ?? {});
  if (shown.length > 600) shown = `${shown.slice(0, 600)}…`;
  return `Warden: allow the agent to call "${tool}" on server "${server}"? ${reason}\nArguments: ${shown}`;
}

export function inputRequiredResult(question: string, token: string): Json {
  return {
    resultType: 'input_required',
    inputRequests: { [APPROVAL_KEY]: { method: 'elicitation/create', params: { mode: 'form', message: question, requestedSchema: SCHEMA } } },
    requestState: `${STATE_PREFIX}${token}`,
  };
}

export function elicitationRequest(id: string, question: string): Json {
  return { jsonrpc: '2.0', id, method: 'elicitation/create', params: { message: question, requestedSchema: SCHEMA } };
}

/** True only for an explicit yes: `accept` with `approve: true`. Decline, cancel, garbage: no. */
export function approved(answer: unknown): boolean {
  return isObject(answer) && answer['action'] === 'accept' && isObject(answer['content']) && answer['content']['approve'] === true;
}

/** The person's answer on a retried 2026-07-28 call, and the retry's params without Warden's parts. */
export function takeApprovalRetry(params: Json): { token?: string; answer?: unknown; rest: Json } {
  const state = params['requestState'];
  if (typeof state !== 'string' || !state.startsWith(STATE_PREFIX)) return { rest: params };
  const rest: Json = { ...params };
  delete rest['requestState'];
  let answer: unknown;
  if (isObject(params['inputResponses'])) {
    const others: Json = { ...params['inputResponses'] };
    answer = others[APPROVAL_KEY];
    delete others[APPROVAL_KEY];
    if (Object.keys(others).length > 0) rest['inputResponses'] = others;
    else delete rest['inputResponses'];
  }
  return { token: state.slice(STATE_PREFIX.length), answer, rest };
}
