import { notBuilt } from '../verb.js';

export const verb = notBuilt('k8s-extension list', 'List the extensions in the cluster');
