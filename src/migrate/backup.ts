// The migration's backup folder: one YAML file per object it touches, written before any change (0600 in a 0700
// folder: it holds deploy keys), and the state file that makes a re-run resume and `--rollback` undo. A file that
// exists is never rewritten, so a resumed run keeps the objects as they were before the first change.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import type { KubeObject, ObjectRef } from '../k8s/types.js';
import { toYaml } from '../render/yaml.js';

export const STATE_FILE = 'fluxcfg-migration.json';
export const BACKUP_PREFIX = 'fluxcfg-migrate-backup-';

export type Step = 'backup' | 'stop-v1' | 'helm-releases-v1' | 'flux-installed' | 'v2-applied';

export interface MigrationState {
  kind: 'FluxV1MigrationState';
  version: 1;
  /** The API server the migration ran against; a rollback or resume elsewhere is refused. */
  server: string;
  startedAt: string;
  filter: { name?: string; namespace?: string };
  /** Steps done, in order. */
  steps: Step[];
  /** Objects backed up (the files in this folder). */
  backup: ObjectRef[];
  /** Objects the migration created (absent before it): what --rollback deletes. */
  created: ObjectRef[];
  /** Flux was installed by the migration (the microsoft.flux extension `flux`). */
  fluxInstalled: boolean;
  completed: boolean;
}

/** `fluxcfg-migrate-backup-20261130T101500Z` for a time. */
export function defaultBackupDir(now: Date, cwd: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(cwd, `${BACKUP_PREFIX}${stamp}`);
}

/** The file an object is saved in: `<Kind>.<group>_<namespace>_<name>.yaml` (`_cluster_` when cluster-scoped). */
export function backupFileName(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : 'core';
  return `${ref.kind}.${group}_${ref.namespace ?? '_cluster'}_${ref.name}.yaml`;
}

export class BackupDir {
  constructor(readonly dir: string) {}

  get statePath(): string {
    return path.join(this.dir, STATE_FILE);
  }

  /** Creates the folder 0700 (an existing one is tightened to 0700). */
  create(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  readState(): MigrationState | undefined {
    if (!existsSync(this.statePath)) return undefined;
    const state = JSON.parse(readFileSync(this.statePath, 'utf8')) as MigrationState;
    if (state.kind !== 'FluxV1MigrationState')
      throw new UserError(`${this.statePath} is not a migrate-from-v1 state file`);
    return state;
  }

  writeState(state: MigrationState): void {
    this.write(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, true);
  }

  /** Saves each object unless its file exists already. Returns the files written. */
  save(objects: readonly KubeObject[]): string[] {
    const written: string[] = [];
    for (const o of objects) {
      const ref = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
      const file = backupFileName(ref);
      if (existsSync(path.join(this.dir, file))) continue;
      this.write(file, toYaml([o]), false);
      written.push(file);
    }
    return written;
  }

  /** Every object saved in the folder. */
  objects(): KubeObject[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => yaml.loadAll(readFileSync(path.join(this.dir, f), 'utf8')) as KubeObject[])
      .filter((o): o is KubeObject => Boolean(o?.kind && o.metadata?.name));
  }

  /** 0600, replacing only when asked (the state), never following into another file. */
  private write(file: string, text: string, replace: boolean): void {
    const full = path.join(this.dir, file);
    if (!replace && existsSync(full)) return;
    const tmp = `${full}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    // rename is atomic: an interrupted run leaves the old file or the new one, never half of one
    renameSync(tmp, full);
  }
}

/**
 * An unfinished migration in `cwd` against `server` (the newest `fluxcfg-migrate-backup-*` folder whose state is
 * not completed), for a re-run without --backup-dir.
 */
export function findUnfinished(cwd: string, server: string): string | undefined {
  if (!existsSync(cwd)) return undefined;
  const dirs = readdirSync(cwd)
    .filter((d) => d.startsWith(BACKUP_PREFIX))
    .map((d) => path.join(cwd, d))
    .filter((d) => statSync(d).isDirectory())
    .sort()
    .reverse();
  for (const d of dirs) {
    try {
      const state = new BackupDir(d).readState();
      if (state && !state.completed && state.server === server) return d;
    } catch {
      continue;
    }
  }
  return undefined;
}
