// The az FluxConfiguration resource shape (Microsoft.KubernetesConfiguration/fluxConfigurations, properties
// flattened as az prints them). `create`/`update` build it from flags, the renderer turns it into Flux objects,
// `show`/`list` rebuild it from the live objects. Durations are whole seconds, as in the az API.

export type Scope = 'cluster' | 'namespace';
export type SourceKind = 'GitRepository' | 'Bucket' | 'AzureBlob' | 'OCIRepository';

/** az `--kind` values and the sourceKind each selects. */
export const kindFlagToSourceKind = {
  git: 'GitRepository',
  bucket: 'Bucket',
  azblob: 'AzureBlob',
  oci: 'OCIRepository',
} as const satisfies Record<string, SourceKind>;
export type KindFlag = keyof typeof kindFlagToSourceKind;

export interface RepositoryRef {
  branch?: string;
  tag?: string;
  semver?: string;
  commit?: string;
}

export interface GitRepositoryDefinition {
  url: string;
  timeoutInSeconds?: number;
  syncIntervalInSeconds?: number;
  repositoryRef?: RepositoryRef;
  /** base64 of known_hosts text, as az sends it. */
  sshKnownHosts?: string;
  httpsUser?: string;
  /** base64 of the PEM CA certificate. */
  httpsCACert?: string;
  localAuthRef?: string;
  provider?: 'Generic' | 'Azure';
}

export interface BucketDefinition {
  url: string;
  bucketName: string;
  insecure?: boolean;
  timeoutInSeconds?: number;
  syncIntervalInSeconds?: number;
  accessKey?: string;
  localAuthRef?: string;
}

export interface ServicePrincipalDefinition {
  clientId?: string;
  tenantId?: string;
  clientSecret?: string;
  /** base64 */
  clientCertificate?: string;
  clientCertificatePassword?: string;
  clientCertificateSendChain?: boolean;
}

export interface AzureBlobDefinition {
  url: string;
  containerName: string;
  timeoutInSeconds?: number;
  syncIntervalInSeconds?: number;
  servicePrincipal?: ServicePrincipalDefinition;
  accountKey?: string;
  sasToken?: string;
  managedIdentity?: { clientId?: string };
  localAuthRef?: string;
}

export interface OciRepositoryDefinition {
  url: string;
  timeoutInSeconds?: number;
  syncIntervalInSeconds?: number;
  repositoryRef?: { tag?: string; semver?: string; digest?: string };
  layerSelector?: { mediaType?: string; operation?: 'extract' | 'copy' };
  insecure?: boolean;
  useWorkloadIdentity?: boolean;
  serviceAccountName?: string;
  /** base64 PEM values */
  tlsConfig?: { clientCertificate?: string; privateKey?: string; caCertificate?: string };
  localAuthRef?: string;
  verify?: {
    provider?: string;
    matchOidcIdentity?: { issuer: string; subject: string }[];
    verificationConfig?: Record<string, string>;
  };
}

export interface SubstituteFrom {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  optional?: boolean;
}

export interface KustomizationDefinition {
  /** Echoes the map key in az output. */
  name?: string;
  path?: string;
  /** Names of sibling kustomizations of the same configuration. */
  dependsOn?: string[];
  timeoutInSeconds?: number;
  syncIntervalInSeconds?: number;
  retryIntervalInSeconds?: number;
  prune?: boolean;
  force?: boolean;
  /** Health checks (az 2.1.0 `disable_health_check` is `wait = false`). */
  wait?: boolean;
  /** fluxcfg extra (`-k target_namespace=`); forced to the configuration namespace for scope namespace. */
  targetNamespace?: string;
  postBuild?: { substitute?: Record<string, string>; substituteFrom?: SubstituteFrom[] };
}

/**
 * Secret inputs (az `configurationProtectedSettings`), never stored in the configuration annotation and never
 * shown: values are raw text (not base64).
 */
export interface ProtectedSettings {
  /** PEM / OpenSSH private key text. */
  sshPrivateKey?: string;
  httpsKey?: string;
  bucketSecretKey?: string;
  /** Azure Blob shared key (az sends it in the azureBlob block; fluxcfg keeps it out of the configuration). */
  accountKey?: string;
  /** Azure Blob SAS token. */
  sasToken?: string;
  /** Azure Blob service principal secret. */
  spClientSecret?: string;
  /** Azure Blob service principal certificate, PEM text (az input is base64). */
  spClientCertificate?: string;
  spClientCertificatePassword?: string;
  /** OCI TLS client private key, PEM text (az input is base64). */
  tlsPrivateKey?: string;
}

export interface FluxConfiguration {
  name: string;
  namespace: string;
  scope: Scope;
  sourceKind: SourceKind;
  suspend: boolean;
  gitRepository?: GitRepositoryDefinition;
  bucket?: BucketDefinition;
  azureBlob?: AzureBlobDefinition;
  ociRepository?: OciRepositoryDefinition;
  /** Map key = kustomization name. */
  kustomizations: Record<string, KustomizationDefinition>;
  /** Hub mode (fluxcfg's own): the Kustomizations apply to the cluster of this kubeconfig Secret. */
  kubeConfigSecret?: KubeConfigSecretRef;
}

/** `--kubeconfig-secret <name>[:<key>]`: a Secret in the configuration namespace holding a kubeconfig. */
export interface KubeConfigSecretRef {
  name: string;
  /** Absent: Flux reads `value`, then `value.yaml`. */
  key?: string;
}

export type ComplianceState = 'Compliant' | 'Non-Compliant' | 'Pending' | 'Suspended' | 'Unknown';
export type ProvisioningState = 'Succeeded' | 'Failed' | 'Creating' | 'Updating' | 'Deleting';

/** az `statuses[]` entries, also what `deployed-object list|show` return (ObjectStatusDefinition, every key). */
export interface ObjectStatus {
  name: string;
  namespace: string;
  kind: string;
  complianceState: ComplianceState;
  /** The Kustomization that applied the object; null for the configuration's own objects. */
  appliedBy: { name: string; namespace: string } | null;
  statusConditions: {
    lastTransitionTime: string | null;
    message: string | null;
    reason: string | null;
    status: string | null;
    type: string | null;
  }[];
  /** null on every kind but HelmRelease. */
  helmReleaseProperties: {
    lastRevisionApplied: number;
    helmChartRef: { name: string; namespace: string } | null;
    failureCount: number;
    installFailureCount: number;
    upgradeFailureCount: number;
  } | null;
}

// --- the az output shapes (what show/list print) -----------------------------------------------------------
// az prints the Python SDK objects (api 2024-11-01) through azure-cli's todict: every attribute of the model,
// unset ones as null, in the model's attribute order, keys camelCased from the Python names (so `httpsCaCert`,
// where the REST body says `httpsCACert`), datetimes as isoformat (`2022-05-13T11:54:42+00:00`), and
// `resourceGroup` appended, parsed from `id`. The views below are built in that order (table output under
// --query keeps it). Secret inputs are never echoed by the service: they print null.

export interface RepositoryRefView {
  branch: string | null;
  tag: string | null;
  semver: string | null;
  commit: string | null;
}

export interface GitRepositoryView {
  url: string;
  timeoutInSeconds: number;
  syncIntervalInSeconds: number;
  repositoryRef: RepositoryRefView | null;
  sshKnownHosts: string | null;
  httpsUser: string | null;
  httpsCaCert: string | null;
  localAuthRef: string | null;
  provider: string | null;
}

export interface BucketView {
  url: string;
  bucketName: string;
  insecure: boolean;
  timeoutInSeconds: number;
  syncIntervalInSeconds: number;
  accessKey: string | null;
  localAuthRef: string | null;
}

export interface AzureBlobView {
  url: string;
  containerName: string;
  timeoutInSeconds: number;
  syncIntervalInSeconds: number;
  servicePrincipal: {
    clientId: string | null;
    tenantId: string | null;
    clientSecret: null;
    clientCertificate: null;
    clientCertificatePassword: null;
    clientCertificateSendChain: boolean;
  } | null;
  accountKey: null;
  sasToken: null;
  managedIdentity: { clientId: string | null } | null;
  localAuthRef: string | null;
}

export interface OciRepositoryView {
  url: string;
  timeoutInSeconds: number;
  syncIntervalInSeconds: number;
  repositoryRef: { tag: string | null; semver: string | null; digest: string | null } | null;
  layerSelector: { mediaType: string | null; operation: string | null } | null;
  verify: {
    provider: string | null;
    verificationConfig: Record<string, string> | null;
    matchOidcIdentity: { issuer: string; subject: string }[] | null;
  } | null;
  insecure: boolean;
  useWorkloadIdentity: boolean;
  serviceAccountName: string | null;
  tlsConfig: { clientCertificate: string | null; privateKey: null; caCertificate: string | null } | null;
  localAuthRef: string | null;
}

export interface KustomizationView {
  name: string;
  path: string;
  dependsOn: string[] | null;
  timeoutInSeconds: number;
  syncIntervalInSeconds: number;
  retryIntervalInSeconds: number | null;
  prune: boolean;
  force: boolean;
  wait: boolean;
  postBuild: {
    substitute: Record<string, string> | null;
    substituteFrom: { kind: string; name: string; optional: boolean }[] | null;
  } | null;
  /** fluxcfg addition (`-k target_namespace=`), only when set: az has no such field. */
  targetNamespace?: string;
}

/** What show/list (and create/update) return: az's FluxConfiguration, rebuilt from the live objects. */
export interface FluxConfigurationView {
  id: string;
  name: string;
  type: string;
  systemData: {
    createdBy: string | null;
    createdByType: string | null;
    createdAt: string | null;
    lastModifiedBy: string | null;
    lastModifiedByType: string | null;
    lastModifiedAt: string | null;
  };
  scope: Scope;
  namespace: string;
  sourceKind: SourceKind;
  suspend: boolean;
  gitRepository: GitRepositoryView | null;
  bucket: BucketView | null;
  azureBlob: AzureBlobView | null;
  ociRepository: OciRepositoryView | null;
  kustomizations: Record<string, KustomizationView>;
  configurationProtectedSettings: Record<string, string>;
  statuses: ObjectStatus[];
  /** The SSH public key of the generated (or given) deploy key; "" when there is none, as az prints it. */
  repositoryPublicKey: string;
  /** `<branch>/<sha>` etc., the revision form az prints (see sourceSyncedCommitId in live.ts). */
  sourceSyncedCommitId: string | null;
  sourceUpdatedAt: string | null;
  statusUpdatedAt: string | null;
  waitForReconciliation: boolean | null;
  reconciliationWaitDuration: string | null;
  complianceState: ComplianceState;
  provisioningState: ProvisioningState;
  /** The service's error for the configuration (here: objects missing from the cluster); "" otherwise. */
  errorMessage: string;
  resourceGroup: string;
  /** fluxcfg's own, only in hub mode: the kubeconfig Secret of the cluster the Kustomizations apply to. */
  kubeConfigSecret?: KubeConfigSecretRef;
}
