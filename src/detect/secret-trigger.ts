// The keyword prefilter of the secret detectors, alone: one case-insensitive pass that says where
// a credential could be. Its own module (data only, no secretlint) so that a hook can ask "could
// this hold a secret at all?" and load the full detectors only when the answer is yes.
import { SECRET_NAME_TRIGGERS, SECRET_PATTERNS, SECRETLINT_KEYWORDS, URL_USERINFO_TRIGGER } from './secret-patterns.js';

export const FAMILY = { secretlint: 0, patterns: 1, names: 2 } as const;
export const FAMILY_COUNT = 3;

export interface Trigger {
  regex: RegExp;
  /** Bit set of families per keyword. */
  families: Map<string, number>;
}

export const TRIGGER: Trigger = buildTrigger();

function buildTrigger(): Trigger {
  const families = new Map<string, number>();
  const add = (k: string, family: number): void => void families.set(k.toLowerCase(), (families.get(k.toLowerCase()) ?? 0) | (1 << family));
  for (const k of SECRETLINT_KEYWORDS) add(k, FAMILY.secretlint);
  for (const p of SECRET_PATTERNS) for (const k of p.keywords) add(k, FAMILY.patterns);
  for (const w of SECRET_NAME_TRIGGERS) add(w, FAMILY.names);
  // The regex reports the longest keyword at a position; it stands for every keyword it starts with.
  const keys = [...families.keys()].sort((a, b) => b.length - a.length);
  for (const k of keys) {
    for (const shorter of keys) if (shorter.length < k.length && k.startsWith(shorter)) families.set(k, families.get(k)! | families.get(shorter)!);
  }
  // One case-insensitive alternation: a single pass over the text, measured faster than listing
  // case variants or running one regex per family.
  const source = [...keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), URL_USERINFO_TRIGGER].join('|');
  return { regex: new RegExp(source, 'gi'), families };
}

/** False when no detector could match anything in `text`: no keyword, no URL userinfo. */
export function mayHoldSecret(text: string): boolean {
  TRIGGER.regex.lastIndex = 0;
  return TRIGGER.regex.test(text);
}
