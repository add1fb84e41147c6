import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux kustomization create', 'Create a Kustomization in a Flux v2 configuration');
