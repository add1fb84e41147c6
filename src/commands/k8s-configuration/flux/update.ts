import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux update', 'Update a Flux v2 configuration');
