// Safe YAML loading for manifests from a checkout: one document at a time (a bad document does not hide the
// others), line numbers from the parser for every mapping, sequence item and key, and refusal of documents whose
// aliases expand them far beyond their size (the "billion laughs" alias bomb).
import yaml from 'js-yaml';

/** Lines (1-based) of one mapping or sequence node of a loaded document. */
export interface NodeLines {
  /** Where the node starts: for a mapping that is a value, the line of its key. */
  readonly line: number;
  /** Mapping: key → line of the key. */
  readonly keys: ReadonlyMap<string, number>;
  /** Sequence: index → line of the item. */
  readonly items: readonly number[];
}

export interface LoadedDocument {
  readonly value: unknown;
  /** Line of the document's first content. */
  readonly line: number;
  readonly lines: WeakMap<object, NodeLines>;
}

export interface YamlProblem {
  readonly line: number;
  readonly kind: 'syntax' | 'alias-bomb';
  readonly message: string;
}

export interface LoadResult {
  readonly documents: LoadedDocument[];
  readonly problems: YamlProblem[];
}

/** A document whose aliases expand it to more nodes than this (and 10× its parsed size) is refused. */
export const MAX_EXPANDED_NODES = 200_000;

/**
 * Splits a multi-document stream at column-0 `---` markers. YAML does not allow a document marker inside any
 * scalar, so each chunk is a whole document; parsing them one by one keeps a syntax error in one from hiding
 * the others. Returns the chunks with their 0-based first line.
 */
export function splitDocuments(text: string): { text: string; firstLine: number }[] {
  const lines = text.split('\n');
  const chunks: { text: string; firstLine: number }[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > start && /^---(?:[ \t].*)?\r?$/.test(lines[i]!)) {
      chunks.push({ text: lines.slice(start, i).join('\n'), firstLine: start });
      start = i;
    }
  }
  chunks.push({ text: lines.slice(start).join('\n'), firstLine: start });
  return chunks;
}

/** Node count of a value with every alias expanded (memoized: linear in the distinct nodes). */
function expandedSize(value: unknown, memo: Map<object, number>): number {
  if (value === null || typeof value !== 'object') return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, 1); // guards against a cycle; js-yaml cannot build one, but stay safe
  let size = 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) size += expandedSize(child, memo);
  memo.set(value, size);
  return size;
}

function loadOne(text: string, lineOffset: number): LoadedDocument | YamlProblem | undefined {
  interface Frame {
    line: number;
    children: { value: unknown; line: number }[];
  }
  const stack: Frame[] = [];
  const lines = new WeakMap<object, NodeLines>();
  let nodes = 0;
  let rootLine: number | undefined;
  const listener = (event: 'open' | 'close', state: { line: number; result: unknown }) => {
    if (event === 'open') {
      stack.push({ line: state.line + 1 + lineOffset, children: [] });
      return;
    }
    nodes++;
    const frame = stack.pop();
    if (!frame) return;
    const result = state.result;
    const parent = stack.at(-1);
    parent?.children.push({ value: result, line: frame.line });
    if (result !== null && typeof result === 'object' && !lines.has(result)) {
      const keys = new Map<string, number>();
      const items: number[] = [];
      if (Array.isArray(result)) for (const c of frame.children) items.push(c.line);
      else
        for (const c of frame.children)
          if (typeof c.value === 'string' && !keys.has(c.value) && Object.hasOwn(result, c.value))
            keys.set(c.value, c.line);
      const first = frame.children[0]?.line ?? frame.line;
      lines.set(result, { line: stack.length === 0 ? first : frame.line, keys, items });
      if (stack.length === 0) rootLine = first;
    }
  };
  let value: unknown;
  try {
    value = yaml.load(text, { listener: listener, json: false });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      // js-yaml notices an unterminated scalar or collection at the end of the document: name its last line
      const lastLine = text.replace(/\s+$/, '').split('\n').length;
      const line = Math.min((err.mark?.line ?? 0) + 1, lastLine) + lineOffset;
      return { line, kind: 'syntax', message: `invalid YAML: ${err.reason || err.message.split('\n')[0]}` };
    }
    throw err;
  }
  if (value === undefined || value === null) return undefined;
  const size = expandedSize(value, new Map());
  if (size > MAX_EXPANDED_NODES && size > 10 * nodes)
    return {
      line: rootLine ?? lineOffset + 1,
      kind: 'alias-bomb',
      message: `refused: YAML aliases expand this document to more than ${MAX_EXPANDED_NODES} nodes (${nodes} written); an alias bomb is not a manifest`,
    };
  return { value, line: rootLine ?? lineOffset + 1, lines };
}

/** Loads every document of a YAML stream; each problem names its line and does not stop the others. */
export function loadDocuments(text: string): LoadResult {
  const documents: LoadedDocument[] = [];
  const problems: YamlProblem[] = [];
  for (const chunk of splitDocuments(text.replace(/^\uFEFF/, ''))) {
    const out = loadOne(chunk.text, chunk.firstLine);
    if (!out) continue;
    if ('lines' in out) documents.push(out);
    else problems.push(out);
  }
  return { documents, problems };
}

/**
 * The line of a field path inside a loaded document (the deepest part found; the document's line when the
 * path is not there). `path` mixes keys and sequence indexes: ['spec', 'chart', 'spec', 'sourceRef'].
 */
export function lineOf(doc: LoadedDocument, root: unknown, path: readonly (string | number)[]): number {
  let node: unknown = root;
  let line: number = (root !== null && typeof root === 'object' ? doc.lines.get(root)?.line : undefined) ?? doc.line;
  for (const part of path) {
    if (node === null || typeof node !== 'object') break;
    const info = doc.lines.get(node);
    const at = typeof part === 'number' ? info?.items[part] : info?.keys.get(part);
    if (at !== undefined) line = at;
    node = (node as Record<string | number, unknown>)[part];
  }
  return line;
}
