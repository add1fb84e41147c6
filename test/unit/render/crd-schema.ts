// A small openAPIV3Schema checker for the rendered Flux objects: types, required, enums, patterns, lengths and
// unknown fields, against the Flux CRDs of the test fixtures (test/helpers/fixtures.ts): whichever Flux release
// they are from (v2.9 in ../shared/fixtures, the pinned v2.7.5 when downloaded), found by group, version and kind.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Fixtures } from '../../helpers/fixtures.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

const loaded = new Map<string, Crd[]>();
function crds(dir: string): Crd[] {
  let list = loaded.get(dir);
  if (!list) {
    list = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => yaml.loadAll(readFileSync(path.join(dir, f), 'utf8')) as Crd[])
      .filter((d) => d?.kind === 'CustomResourceDefinition');
    loaded.set(dir, list);
  }
  return list;
}

/**
 * The schema of a Flux kind at an apiVersion, from the CRDs of `fixtures`; undefined for kinds that are not Flux's
 * (group *.fluxcd.io) and for a Flux component the fixtures hold no CRD of at all (a downloaded release install.yaml
 * has only the default components: no image automation; ../shared/fixtures has them all). A kind of a component the
 * CRDs hold, not served at that version, is an error, never a silent pass.
 */
export function crdSchema(fixtures: Fixtures, kind: string, apiVersion: string): Schema | undefined {
  const group = apiVersion.split('/')[0]!;
  if (!group.endsWith('.fluxcd.io')) return undefined;
  if (!crds(fixtures.crdDir).some((c) => c.spec.group === group)) return undefined;
  const crd = crds(fixtures.crdDir).find((c) => c.spec.group === group && c.spec.names.kind === kind);
  const version = crd?.spec.versions.find((v) => `${group}/${v.name}` === apiVersion && v.served);
  if (!version) throw new Error(`${kind} ${apiVersion} is not served by the CRDs in ${fixtures.crdDir}`);
  return version.schema.openAPIV3Schema;
}

/** Every violation of `schema` by `value`, as `path: problem`. */
export function violations(schema: Schema, value: unknown, path = ''): string[] {
  const out: string[] = [];
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.type) return out;
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${path}.${r}: required`);
      for (const [k, v] of Object.entries(obj)) {
        const sub =
          schema.properties?.[k] ??
          (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        if (!sub) {
          if (!schema['x-kubernetes-preserve-unknown-fields']) out.push(`${path}.${k}: unknown field`);
          continue;
        }
        out.push(...violations(sub, v, `${path}.${k}`));
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      value.forEach((v, i) => out.push(...violations(schema.items ?? {}, v, `${path}[${i}]`)));
      return out;
    case 'string':
      if (typeof value !== 'string') return [`${path}: not a string`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        out.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        out.push(`${path}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        out.push(`${path}: longer than ${schema.maxLength}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: not a boolean`];
      break;
    case 'integer':
      if (!Number.isInteger(value)) return [`${path}: not an integer`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value))
    out.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  return out;
}
