import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux validate', 'Check manifests against multi-tenancy and namespace-scope rules before applying them');
