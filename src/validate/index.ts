// Multi-tenancy and namespace-scope validation: what Flux would reject, found before anything is applied.
//   Layer 1 — validateRendered: the objects a configuration renders.
//   Layer 2 — validateCheckout / validateGitSource: the manifests of its source.
export { formatFindings, hasErrors, locationOf, rules, sortFindings, summarize } from './findings.js';
export type { Finding, RuleId, Severity, TenancyContext } from './findings.js';
export { validateRendered, checkManifests, referenceSites, impersonates } from './rules.js';
export { validateCheckout, WHOLE_CHECKOUT, type CheckoutOptions } from './checkout.js';
export { validateGitSource, type GitAuth, type GitRef, type GitSourceDeps, type GitSourceInput } from './git.js';
export {
  scanKustomization,
  isRemoteResource,
  DEFAULT_MAX_FILE_BYTES,
  type KustomizationInput,
  type ScannedObject,
} from './scan.js';
export { resolveScopes, builtinClusterScoped } from './cluster-scope.js';
export {
  detectMultiTenancy,
  findApplierNamespaces,
  readClusterTenancy,
  resolveMultiTenancy,
  type ClusterTenancy,
} from './tenancy.js';
export { loadDocuments, MAX_EXPANDED_NODES } from './yaml.js';
