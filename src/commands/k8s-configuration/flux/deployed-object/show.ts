import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux deployed-object show', 'Show one object deployed by a Flux v2 configuration');
