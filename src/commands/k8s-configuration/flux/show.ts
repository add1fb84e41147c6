import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux show', 'Show a Flux v2 configuration');
