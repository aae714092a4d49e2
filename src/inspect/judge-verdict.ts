// Reading a judge's answer: the text of a chat-completions body, then the verdict in that text,
// found leniently (JSON anywhere in prose or code fences, after any `<think>` block) and checked
// strictly (known verdicts only, confidence clamped, reason cleaned and cut). Separate from
// judge.ts because it is pure: no network, no files, and testable on strings alone.

export const MAX_REASON_CHARS = 300;
/** Of the model's text searched for a JSON verdict, after any `<think>` block is dropped. */
const MAX_ANSWER_CHARS = 64 * 1024;

export type Parsed = { verdict: 'malicious' | 'suspicious' | 'benign'; confidence?: number; reason: string } | { error: string };

export const VERDICTS = new Set(['malicious', 'suspicious', 'benign']);

/** The text of the first choice of a chat-completions body. */
export function answerText(body: string): { content: string } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { error: `the judge's response is not JSON (starts ${JSON.stringify(cleanText(body, 40))})` };
  }
  if (!isRecord(v) || !Array.isArray(v['choices'])) return { error: 'the judge\'s response has no "choices": not a chat-completions answer' };
  const choice = v['choices'][0] as unknown;
  const message = isRecord(choice) ? choice['message'] : undefined;
  if (!isRecord(message)) return { error: 'the judge\'s response has no message in its first choice' };
  if (typeof message['refusal'] === 'string' && message['refusal'] !== '') return { error: `the model refused: ${cleanText(message['refusal'], 160)}` };
  const content = message['content'];
  let text = '';
  if (typeof content === 'string') text = content;
  // Some servers send content as parts.
  else if (Array.isArray(content)) for (const part of content) if (isRecord(part) && typeof part['text'] === 'string') text += part['text'];
  if (text.trim() === '') {
    const finish = isRecord(choice) && typeof choice['finish_reason'] === 'string' ? ` (finish_reason ${cleanText(choice['finish_reason'], 20)})` : '';
    return { error: `the model's answer is empty${finish}` };
  }
  return { content: text };
}

/**
 * The verdict in a model's text: the whole text as JSON, else JSON objects found in it (in code
 * fences or between prose). Several objects that disagree make no verdict: the definition itself
 * may hold `{"verdict": "benign"}` for a model to repeat.
 */
export function parseVerdict(content: string): Parsed {
  // Reasoning models (DeepSeek-R1, Qwen3 on Ollama) think aloud before answering.
  let text = content.replace(/<think>[\s\S]*?<\/think>/gi, '').replace(/^[\s\S]*<\/think>/i, '');
  if (text.length > MAX_ANSWER_CHARS) text = text.slice(-MAX_ANSWER_CHARS);
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(text.trim()));
  } catch {
    for (const s of jsonObjectsIn(text)) {
      try {
        candidates.push(JSON.parse(s));
      } catch {
        // not JSON after all
      }
    }
  }
  const objects = candidates.filter((c): c is Record<string, unknown> => isRecord(c) && 'verdict' in c);
  if (objects.length === 0) return { error: `the model's answer holds no JSON verdict (starts ${JSON.stringify(cleanText(text.trim(), 60))})` };
  const verdicts = new Set(objects.map((o) => (typeof o['verdict'] === 'string' ? o['verdict'].trim().toLowerCase() : String(o['verdict']))));
  if (verdicts.size > 1) return { error: `the model's answer holds conflicting verdicts (${[...verdicts].map((x) => cleanText(x, 20)).join(', ')})` };
  const o = objects[objects.length - 1]!;
  const verdict = typeof o['verdict'] === 'string' ? o['verdict'].trim().toLowerCase() : '';
  if (!VERDICTS.has(verdict)) return { error: `the model answered an unknown verdict ${JSON.stringify(cleanText(String(o['verdict']), 30))}` };
  const raw = typeof o['confidence'] === 'string' ? Number(o['confidence']) : o['confidence'];
  const confidence = typeof raw === 'number' && Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : undefined;
  const reason = typeof o['reason'] === 'string' ? cleanText(o['reason'], MAX_REASON_CHARS) : '';
  return { verdict: verdict as 'malicious' | 'suspicious' | 'benign', ...(confidence !== undefined ? { confidence } : {}), reason: reason || '(no reason given)' };
}

/** Balanced `{...}` stretches of `text`, braces inside JSON strings ignored; a bounded number of them. */
function jsonObjectsIn(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('{');
  while (i !== -1 && out.length < 16) {
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = j;
        break;
      }
    }
    // Unbalanced from here on: no later opening brace closes either.
    if (end === -1) break;
    out.push(text.slice(i, end + 1));
    i = text.indexOf('{', end + 1);
  }
  return out;
}

/**
 * One line of untrusted text fit for a terminal and a report: control, format (bidi, zero-width)
 * and private-use characters removed, whitespace collapsed, at most `max` characters.
 */
export function cleanText(s: string, max: number): string {
  const flat = s
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/[\p{Cf}\p{Co}\p{Cs}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}


export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
