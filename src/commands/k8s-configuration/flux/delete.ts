import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux delete', 'Delete a Flux v2 configuration');
