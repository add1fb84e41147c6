import { notBuilt } from '../../../verb.js';

export const verb = notBuilt('k8s-configuration flux deployed-object list', 'List the objects deployed by a Flux v2 configuration');
