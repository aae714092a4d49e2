// Evidence that may hold a secret keeps its first 4 characters and its length, nothing more:
// enough for a human to recognise which key it is, useless to anyone reading the report.
export function redact(value: string): string {
  if (value.length <= 4) return '****';
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}
