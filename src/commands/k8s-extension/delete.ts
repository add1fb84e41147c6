import { notBuilt } from '../verb.js';

export const verb = notBuilt('k8s-extension delete', 'Delete the microsoft.flux extension');
