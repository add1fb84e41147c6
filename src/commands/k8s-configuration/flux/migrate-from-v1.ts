import { notBuilt } from '../../verb.js';

export const verb = notBuilt('k8s-configuration flux migrate-from-v1', 'Migrate a Flux v1 (fluxd + helm-operator) installation to Flux v2');
