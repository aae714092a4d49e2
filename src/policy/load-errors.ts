// A policy's problems, each at file:line:column; its own module so that code which only reads a
// policy's text (locate.ts, a hook's cache) can report them without loading the YAML reader.
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class PolicyError extends Error {
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.name = 'PolicyError';
  }
}
