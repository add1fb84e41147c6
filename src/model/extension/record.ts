// The in-cluster record of an installed extension: a ConfigMap in flux-system (what was asked, what was applied,
// the install manifest gzipped so update/delete work offline) and a Secret for the protected settings. Pure.
import { gunzipSync, gzipSync } from 'node:zlib';
import { UsageError } from '../../errors.js';
import type { KubeObject, ObjectRef } from '../../k8s/types.js';
import { EXTENSION_LABEL, MANAGED_BY_LABEL, MANAGER } from '../naming.js';
import type { Settings } from './settings.js';
import { FLUX_NAMESPACE as RELEASE_NAMESPACE } from '../naming.js';
import { EXTENSION_TYPE } from './versions.js';

export type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded' | 'Failed';

export interface CustomResourceKind {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface ExtensionRecord {
  readonly name: string;
  readonly extensionType: typeof EXTENSION_TYPE;
  /** The --version pin as given, null when not pinned (az's `version`). */
  readonly version: string | null;
  /** The Flux release installed, `v2.7.5`. */
  readonly fluxVersion: string;
  readonly autoUpgradeMinorVersion: boolean;
  readonly releaseTrain: string;
  readonly releaseNamespace: string;
  readonly configurationSettings: Settings;
  readonly configurationProtectedSettingKeys: readonly string[];
  readonly provisioningState: ProvisioningState;
  /** fluxcfg created the release namespace (so delete removes it). */
  readonly namespaceCreated: boolean;
  readonly manifestSource: string;
  readonly manifestSha256: string;
  /** Every object applied, for pruning on update and removal on delete. */
  readonly objects: readonly ObjectRef[];
  /** The kinds the installed CRDs serve, for delete's "Flux objects still exist" check. */
  readonly customResources: readonly CustomResourceKind[];
  readonly lastModifiedAt: string;
  /** From the ConfigMap, when read back. */
  readonly createdAt?: string;
}

const DATA_KEY = 'extension.json';
const MANIFEST_KEY = 'install.yaml.gz';

/**
 * The Kubernetes name part of an extension name: az (ARM) accepts mixed case, dots and underscores; object names
 * take lower case only. The name as given is kept in the record's data and its label.
 */
export const extensionObjectName = (name: string) => name.toLowerCase().replace(/_/g, '-');
export const recordName = (name: string) => `fluxcfg-extension-${extensionObjectName(name)}`;
export const protectedSecretName = (name: string) => `fluxcfg-extension-${extensionObjectName(name)}-protected`;
export const recordSelector = `${MANAGED_BY_LABEL}=${MANAGER},${EXTENSION_LABEL}`;

export function recordRef(name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: recordName(name), namespace: RELEASE_NAMESPACE };
}

export function protectedSecretRef(name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Secret', name: protectedSecretName(name), namespace: RELEASE_NAMESPACE };
}

/**
 * An ARM resource name as az accepts it (mixed case, `-`, `_`, `.`); it becomes a label value (so at most 63
 * characters, starting and ending with a letter or digit) and, lower-cased, part of object names.
 */
export function validateExtensionName(name: string): void {
  const label = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  if (!label.test(name) || name.length > 63 || !subdomain.test(extensionObjectName(name)))
    throw new UsageError(`invalid extension name '${name}'`, {
      hint: 'use up to 63 letters, digits, dashes, dots and underscores, beginning and ending with a letter or digit',
    });
}

const labels = (name: string) => ({ [MANAGED_BY_LABEL]: MANAGER, [EXTENSION_LABEL]: name });

export function renderRecord(record: Omit<ExtensionRecord, 'createdAt'>, manifestText: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: recordName(record.name), namespace: RELEASE_NAMESPACE, labels: labels(record.name) },
    data: { [DATA_KEY]: JSON.stringify(record, null, 2) },
    binaryData: { [MANIFEST_KEY]: gzipSync(manifestText).toString('base64') },
  };
}

export function renderProtectedSecret(name: string, protectedSettings: Settings): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: protectedSecretName(name), namespace: RELEASE_NAMESPACE, labels: labels(name) },
    type: 'Opaque',
    stringData: protectedSettings,
  };
}

export function parseRecord(cm: KubeObject): ExtensionRecord | undefined {
  const text = (cm.data as Record<string, string> | undefined)?.[DATA_KEY];
  if (!text) return undefined;
  try {
    const record = JSON.parse(text) as ExtensionRecord;
    return { ...record, createdAt: cm.metadata.creationTimestamp };
  } catch {
    return undefined;
  }
}

/** The install manifest stored with the record, undefined when absent. */
export function storedManifest(cm: KubeObject): string | undefined {
  const b64 = (cm.binaryData as Record<string, string> | undefined)?.[MANIFEST_KEY];
  return b64 ? gunzipSync(Buffer.from(b64, 'base64')).toString('utf8') : undefined;
}

export function parseProtectedSecret(secret: KubeObject | undefined): Settings {
  const data = (secret?.data as Record<string, string> | undefined) ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** The kinds served by the CRDs of a rendered install (their storage version). */
export function customResourceKinds(objects: readonly KubeObject[]): CustomResourceKind[] {
  return objects
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .map((crd) => {
      const spec = crd.spec as {
        group: string;
        names: { kind: string };
        versions: { name: string; storage?: boolean; served?: boolean }[];
      };
      const version = spec.versions.find((v) => v.storage) ?? spec.versions.find((v) => v.served) ?? spec.versions[0]!;
      return { apiVersion: `${spec.group}/${version.name}`, kind: spec.names.kind };
    });
}
