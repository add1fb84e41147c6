import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux kustomization delete', 'Delete a Kustomization from a Flux v2 configuration');
