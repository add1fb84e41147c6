import { createKustomization } from '../../../../model/kustomization-params.js';
import { kustomizationWriteVerb } from './write.js';

export const verb = kustomizationWriteVerb(
  'create',
  'Create a Kustomization in a Flux v2 configuration',
  createKustomization,
);
