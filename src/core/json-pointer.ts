// RFC 6901 JSON pointers (`/args/0/path`), on their own so that code which only follows a pointer
// (a policy's `redact:` list in a hook) does not load the config parsers.

/** RFC 6901 pointer for a path. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
