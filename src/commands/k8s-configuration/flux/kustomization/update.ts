import { updateKustomization } from '../../../../model/kustomization-params.js';
import { kustomizationWriteVerb } from './write.js';

export const verb = kustomizationWriteVerb('update', updateKustomization);
