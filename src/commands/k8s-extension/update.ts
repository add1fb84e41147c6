import { notBuilt } from '../verb.js';

export const verb = notBuilt('k8s-extension update', 'Update the settings of the microsoft.flux extension');
