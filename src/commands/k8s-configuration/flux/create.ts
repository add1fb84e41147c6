import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux create', 'Create a Flux v2 configuration');
