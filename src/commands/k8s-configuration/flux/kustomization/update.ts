import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux kustomization update', 'Update a Kustomization of a Flux v2 configuration');
