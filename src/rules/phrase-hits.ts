// The injection rules that look for one category of phrase share how a phrase becomes a hit:
// its label as the message, the escaped snippet as evidence, the pattern's own severity.
import { visiblePhrases } from '../detect/html-comments.js';
import type { InjectionCategory } from '../detect/injection-phrases.js';
import { evidenceSnippet } from '../detect/unicode.js';
import type { RuleHit } from './rule.js';

export function phraseHits(text: string, category: InjectionCategory): RuleHit[] {
  return visiblePhrases(text, category).map((m) => ({
    message: `${m.label[0]!.toUpperCase()}${m.label.slice(1)}${m.context === 'prose' ? '' : ' (in code)'}`,
    evidence: evidenceSnippet(text, m.offset, m.length),
    severity: m.severity,
    at: { offset: m.offset, length: m.length },
  }));
}
