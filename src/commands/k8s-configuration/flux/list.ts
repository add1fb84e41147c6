import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux list', 'List Flux v2 configurations');
