// Which manifests a Flux Kustomization would apply from a checkout, read safely: kustomization.yaml `resources`
// (files and directories, recursively) when present, otherwise every YAML file under the path, as
// kustomize-controller generates it. Nothing outside the checkout is read.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../k8s/types.js';
import type { Finding } from './findings.js';
import { lineOf, loadDocuments, type LoadedDocument } from './yaml.js';

/** One Flux Kustomization of a configuration: its name, its path in the source, its target namespace. */
export interface KustomizationInput {
  name: string;
  /** Relative to the checkout root; '' or '.' or './' = the root. */
  path: string;
  /** spec.targetNamespace of the rendered Kustomization (forced to the configuration namespace for scope namespace). */
  targetNamespace?: string;
}

export interface NamespaceOverride {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

/** A Kubernetes object found in a manifest file, with where it came from. */
export interface ScannedObject {
  readonly obj: KubeObject;
  /** Relative to the checkout root, `/`-separated. */
  readonly file: string;
  readonly line: number;
  readonly doc: LoadedDocument;
  /** The object's mapping inside `doc` (a List item is not the document root). */
  readonly node: unknown;
  /** `namespace:` of the outermost kustomization.yaml that includes it. */
  readonly namespaceOverride?: NamespaceOverride;
  readonly kustomization: KustomizationInput;
}

export interface ScanOptions {
  /** Larger manifest files are refused. @default 4 MiB */
  readonly maxFileBytes?: number;
  /** Remote kustomize bases are errors (kustomize-controller --no-remote-bases=true), else warnings. */
  readonly noRemoteBases?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REMOTE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|git::|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/[^/]*\.git(?:\/|$)/i;

export function isRemoteResource(entry: string): boolean {
  return REMOTE.test(entry);
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** Scans the manifests of one Kustomization. Findings for files that cannot be used; objects for the rest. */
export async function scanKustomization(
  root: string,
  k: KustomizationInput,
  options: ScanOptions = {},
): Promise<{ objects: ScannedObject[]; findings: Finding[] }> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const rootAbs = path.resolve(root);
  const rootReal = await realpath(rootAbs);
  const objects: ScannedObject[] = [];
  const findings: Finding[] = [];
  const seenFiles = new Set<string>();
  const rel = (p: string) => path.relative(rootAbs, p).split(path.sep).join('/') || '.';

  /** Resolves a path found in the tree; a finding (and undefined) when it leaves the checkout or is missing. */
  const resolve = async (
    logical: string,
    from: { file?: string; line?: number },
    missing: () => Finding | undefined,
  ): Promise<{ real: string; isDir: boolean; size: number } | undefined> => {
    if (!isInside(rootAbs, logical)) {
      findings.push({
        rule: 'symlink-escape',
        severity: 'error',
        ...from,
        message: `refused: ${path.relative(rootAbs, logical)} is outside the checkout`,
        fix: 'reference only files inside the repository (kustomize-controller refuses paths that leave the source)',
      });
      return undefined;
    }
    let real: string;
    try {
      real = await realpath(logical);
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') {
        const f = missing();
        if (f) findings.push(f);
        return undefined;
      }
      if (errno(err) === 'ELOOP') {
        findings.push({
          rule: 'symlink-escape',
          severity: 'error',
          ...from,
          message: `refused: ${rel(logical)} is a symlink loop`,
        });
        return undefined;
      }
      throw err;
    }
    if (!isInside(rootReal, real)) {
      findings.push({
        rule: 'symlink-escape',
        severity: 'error',
        file: rel(logical),
        message: `refused: ${rel(logical)} is a symlink that leaves the checkout (to ${real})`,
        fix: 'replace the symlink by the file itself: the source artifact Flux builds from has only what is inside the repository',
      });
      return undefined;
    }
    const st = await stat(real);
    if (!st.isDirectory() && !st.isFile()) {
      // a FIFO would block the read forever; a socket or device is no manifest either
      const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device or special file';
      findings.push({
        rule: 'not-a-regular-file',
        severity: 'warning',
        file: rel(logical),
        message: `skipped: ${rel(logical)} is ${what}, not a regular file`,
        fix: 'keep only regular files in the kustomization path (the artifact Flux builds holds no special files)',
      });
      return undefined;
    }
    return { real, isDir: st.isDirectory(), size: st.size };
  };

  const readText = async (logical: string, info: { real: string; size: number }): Promise<string | undefined> => {
    if (info.size > maxBytes) {
      findings.push({
        rule: 'file-too-large',
        severity: 'error',
        file: rel(logical),
        message: `refused: ${info.size} bytes, more than the ${maxBytes}-byte limit for a manifest file`,
        fix: 'split the file, or keep generated or binary data out of the kustomization path',
      });
      return undefined;
    }
    return readFile(info.real, 'utf8');
  };

  const loadFile = async (logical: string, info: { real: string; size: number }) => {
    const text = await readText(logical, info);
    if (text === undefined) return undefined;
    const loaded = loadDocuments(text);
    for (const p of loaded.problems)
      findings.push({
        rule: p.kind === 'alias-bomb' ? 'yaml-alias-bomb' : 'yaml-invalid',
        severity: 'error',
        file: rel(logical),
        line: p.line,
        message: p.message,
        fix:
          p.kind === 'alias-bomb'
            ? 'write the values out instead of nesting aliases'
            : 'fix the YAML syntax at or just before this line',
      });
    return loaded.documents;
  };

  const addObjects = (logical: string, docs: LoadedDocument[], ns: NamespaceOverride | undefined) => {
    for (const doc of docs) {
      const v = doc.value as Record<string, unknown>;
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
      if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') continue;
      const entries: { node: unknown; line: number }[] =
        v.kind.endsWith('List') && Array.isArray(v.items)
          ? (v.items as unknown[]).map((item, i) => ({ node: item, line: lineOf(doc, v, ['items', i]) }))
          : [{ node: v, line: doc.line }];
      for (const e of entries) {
        const o = e.node as Record<string, unknown>;
        if (!o || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
        const metadata =
          o.metadata && typeof o.metadata === 'object' ? (o.metadata as KubeObject['metadata']) : { name: '' };
        objects.push({
          obj: { ...o, apiVersion: o.apiVersion, kind: o.kind, metadata },
          file: rel(logical),
          line: e.line,
          doc,
          node: o,
          namespaceOverride: ns,
          kustomization: k,
        });
      }
    }
  };

  const manifestFile = async (
    logical: string,
    info: { real: string; size: number },
    ns: NamespaceOverride | undefined,
  ) => {
    if (seenFiles.has(info.real)) return;
    seenFiles.add(info.real);
    const docs = await loadFile(logical, info);
    if (docs) addObjects(logical, docs, ns);
  };

  const kustomizationFile = async (
    dir: string,
    file: string,
    info: { real: string; size: number },
    outer: NamespaceOverride | undefined,
    chain: Set<string>,
  ) => {
    const docs = await loadFile(file, info);
    const kust = docs?.[0];
    if (!kust || !kust.value || typeof kust.value !== 'object') return;
    const k = kust.value as Record<string, unknown>;
    const own =
      typeof k.namespace === 'string' && k.namespace
        ? { value: k.namespace, file: rel(file), line: lineOf(kust, k, ['namespace']) }
        : undefined;
    const ns = outer ?? own;
    for (const field of ['resources', 'bases', 'components', 'crds']) {
      const list = k[field];
      if (!Array.isArray(list)) continue;
      for (const [i, entry] of list.entries()) {
        if (typeof entry !== 'string') continue;
        const line = lineOf(kust, k, [field, i]);
        if (isRemoteResource(entry)) {
          findings.push({
            rule: 'remote-base',
            severity: options.noRemoteBases ? 'error' : 'warning',
            file: rel(file),
            line,
            message: options.noRemoteBases
              ? `remote base ${entry}: kustomize-controller runs with --no-remote-bases=true and refuses it`
              : `remote base ${entry}: not validated here, and refused where kustomize-controller runs with --no-remote-bases=true`,
            fix: 'vendor the remote manifests into this repository (or reference them as a separate Flux source)',
          });
          continue;
        }
        const target = path.resolve(dir, entry);
        const from = { file: rel(file), line };
        const found = await resolve(target, from, () => ({
          rule: 'missing-resource',
          severity: 'error',
          ...from,
          message: `${field} entry ${entry} does not exist (kustomize build would fail)`,
          fix: `create ${rel(target)} or remove the entry`,
        }));
        if (!found) continue;
        if (found.isDir) await directory(target, found.real, ns, chain);
        else await manifestFile(target, found, ns);
      }
    }
  };

  const directory = async (dir: string, real: string, ns: NamespaceOverride | undefined, chain: Set<string>) => {
    if (chain.has(real)) return; // a cycle: kustomize reports it, nothing more to find here
    const inner = new Set(chain).add(real);
    for (const name of KUSTOMIZATION_FILES) {
      const candidate = path.join(dir, name);
      const exists = await lstat(candidate).then(
        () => true,
        () => false,
      );
      if (!exists) continue;
      const info = await resolve(candidate, { file: rel(candidate) }, () => undefined);
      if (info && !info.isDir) await kustomizationFile(dir, candidate, info, ns, inner);
      return;
    }
    // No kustomization.yaml: every YAML file below, as kustomize-controller's generated one has it.
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (!e.isDirectory() && !e.isSymbolicLink() && !/\.ya?ml$/i.test(e.name)) continue;
      if (e.isSymbolicLink() && !/\.ya?ml$/i.test(e.name)) {
        // a symlinked directory is followed; a symlinked non-YAML file is ignored
        const target = await stat(full).catch(() => undefined);
        if (!target?.isDirectory()) continue;
      }
      const info = await resolve(full, { file: rel(full) }, () => undefined);
      if (!info) continue;
      if (info.isDir) await directory(full, info.real, ns, inner);
      else await manifestFile(full, info, ns);
    }
  };

  const start = path.resolve(rootAbs, k.path || '.');
  const where = `kustomization ${k.name}`;
  const top = await resolve(start, {}, () => ({
    rule: 'path-not-found',
    severity: 'error',
    message: `${where}: path ${k.path || '.'} does not exist in the source`,
    fix: 'fix path= of the kustomization (relative to the repository root)',
  }));
  if (top && !top.isDir)
    findings.push({
      rule: 'path-not-found',
      severity: 'error',
      file: rel(start),
      message: `${where}: path ${k.path} is a file; a Kustomization path is a directory`,
      fix: 'point path= at the directory that holds the manifests',
    });
  else if (top) await directory(start, top.real, undefined, new Set());
  return { objects, findings };
}
