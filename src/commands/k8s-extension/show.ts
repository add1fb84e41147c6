import { notBuilt } from '../verb.js';

export const verb = notBuilt('k8s-extension show', 'Show the microsoft.flux extension');
