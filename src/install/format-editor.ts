// What each config format's editor can do, in the terms the rewrite needs: find a string value
// or an array by its path in the parsed data, and add a new key beside an existing one. Paths
// are the ones discovery reports (`ServerSources`), so the editors never guess where a server is.
import type { ConfigFormat } from '../core/types.js';
import type { PathSegment } from '../parse/document.js';
import type { ArraySite, Span, TextEdit } from './text-edits.js';
import { jsonEditor } from './edit-json.js';
import { tomlEditor } from './edit-toml.js';
import { yamlEditor } from './edit-yaml.js';

export interface FormatEditor {
  /** Where the string value at `path` is written, or null when it is not a plain string there. */
  stringAt(path: readonly PathSegment[]): Span | null;
  /** The array at `path` as written, or null. */
  arrayAt(path: readonly PathSegment[]): ArraySite | null;
  /** Edits that add `key` holding `values` to the object holding `sibling`, next to it; null when the layout is not one Warden edits. */
  addBeside(sibling: readonly PathSegment[], key: string, values: readonly string[]): TextEdit[] | null;
}

/** An editor over `text`, or a reason the text cannot be edited as this format. */
export function openEditor(format: ConfigFormat, text: string): FormatEditor | { unusable: string } {
  try {
    switch (format) {
      case 'json':
      case 'jsonc':
        return jsonEditor(text);
      case 'toml':
        return tomlEditor(text);
      case 'yaml':
        return yamlEditor(text);
    }
  } catch (err) {
    return { unusable: (err as Error).message };
  }
}
