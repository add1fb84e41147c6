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
}

export type ComplianceState = 'Compliant' | 'Non-Compliant' | 'Pending' | 'Suspended' | 'Unknown';
export type ProvisioningState = 'Succeeded' | 'Failed' | 'Creating' | 'Updating' | 'Deleting';

/** az `statuses[]` entries, also what `deployed-object list|show` return. */
export interface ObjectStatus {
  name: string;
  namespace: string;
  kind: string;
  complianceState: ComplianceState;
  appliedBy?: { name: string; namespace: string } | null;
  statusConditions?: {
    lastTransitionTime?: string;
    message?: string;
    reason?: string;
    status?: string;
    type?: string;
  }[];
  helmReleaseProperties?: {
    lastRevisionApplied?: number;
    helmChartRef?: { name: string; namespace: string };
    failureCount?: number;
    installFailureCount?: number;
    upgradeFailureCount?: number;
  };
}

/** What show/list return: the configuration plus the read-only fields rebuilt from live objects. */
export interface FluxConfigurationView extends FluxConfiguration {
  provisioningState: ProvisioningState;
  complianceState: ComplianceState;
  statuses: ObjectStatus[];
  repositoryPublicKey: string | null;
  sourceSyncedCommitId: string | null;
  sourceUpdatedAt: string | null;
  statusUpdatedAt: string | null;
  errorMessage: string | null;
  configurationProtectedSettings: Record<string, string>;
}
