import { applyKustomizationCreate } from '../../../../model/kustomization-flags.js';
import { kustomizationWriteVerb } from './write.js';

export const verb = kustomizationWriteVerb('create', 'Create a Kustomization in a Flux v2 configuration', applyKustomizationCreate);
