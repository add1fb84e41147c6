import { notBuilt } from '../verb.js';

export const verb = notBuilt('k8s-extension create', 'Create a Kubernetes extension (microsoft.flux) in the current cluster');
