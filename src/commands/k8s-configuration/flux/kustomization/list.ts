import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux kustomization list', 'List the Kustomizations of a Flux v2 configuration');
