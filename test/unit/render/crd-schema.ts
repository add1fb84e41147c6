// A small openAPIV3Schema checker for the rendered Flux objects: types, required, enums, patterns, lengths and
// unknown fields, against the Flux v2.9 CRDs in ../shared/fixtures/flux.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

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

const FIXTURES = new URL('../../../../shared/fixtures/flux/', import.meta.url);
const files: Record<string, string> = {
  GitRepository: 'source.toolkit.fluxcd.io_gitrepositories.yaml',
  Bucket: 'source.toolkit.fluxcd.io_buckets.yaml',
  OCIRepository: 'source.toolkit.fluxcd.io_ocirepositories.yaml',
  Kustomization: 'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
};

export function crdSchema(kind: string, apiVersion: string): Schema | undefined {
  const file = files[kind];
  if (!file) return undefined;
  const crd = yaml.load(readFileSync(new URL(file, FIXTURES), 'utf8')) as {
    spec: { group: string; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}` === apiVersion && v.served);
  if (!version) throw new Error(`${kind} ${apiVersion} is not served by ${file}`);
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
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
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
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) out.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${path}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push(`${path}: longer than ${schema.maxLength}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: not a boolean`];
      break;
    case 'integer':
      if (!Number.isInteger(value)) return [`${path}: not an integer`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  return out;
}
