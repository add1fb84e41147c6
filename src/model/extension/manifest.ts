// Parsing a Flux install manifest (the release install.yaml or `flux install --export` output). Pure.
import yaml from 'js-yaml';
import { UserError } from '../../errors.js';
import type { KubeObject } from '../../k8s/types.js';
import { FLUX_NAMESPACE } from '../naming.js';

export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const VERSION_LABEL = 'app.kubernetes.io/version';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

export interface FluxManifest {
  readonly objects: readonly KubeObject[];
  /** `v2.7.5`, from the objects' app.kubernetes.io/version label or the `# Flux Version:` header. */
  readonly fluxVersion: string;
}

/** Parses and checks a Flux install manifest; `source` names it in errors. */
export function parseFluxManifest(text: string, source: string): FluxManifest {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (err) {
    throw new UserError(`${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'pass the Flux release install.yaml or the output of flux install --export',
      cause: err,
    });
  }
  const objects = docs.filter(
    (d): d is KubeObject =>
      Boolean(d) &&
      typeof d === 'object' &&
      typeof (d as KubeObject).kind === 'string' &&
      typeof (d as KubeObject).apiVersion === 'string' &&
      typeof (d as KubeObject).metadata?.name === 'string',
  );
  const notFlux = (what: string) =>
    new UserError(`${source} is not a Flux install manifest: ${what}`, {
      hint: 'pass the Flux release install.yaml or the output of flux install --export',
    });
  const crdNames = new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name));
  for (const crd of ['gitrepositories.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io'])
    if (!crdNames.has(crd)) throw notFlux(`it has no CustomResourceDefinition ${crd}`);
  if (!objects.some((o) => o.kind === 'Deployment')) throw notFlux('it has no controller Deployment');
  const foreign = objects.find((o) => o.metadata.namespace && o.metadata.namespace !== FLUX_NAMESPACE);
  if (foreign)
    throw notFlux(
      `${foreign.kind} ${foreign.metadata.name} is in namespace ${foreign.metadata.namespace}, not ${FLUX_NAMESPACE}`,
    );
  const fromLabel = objects.map((o) => o.metadata.labels?.[VERSION_LABEL]).find((v) => v && /^v\d+\.\d+\.\d+/.test(v));
  const fromHeader = /^# Flux Version: (v\d+\.\d+\.\d+\S*)/m.exec(text)?.[1];
  const fluxVersion = fromLabel ?? fromHeader;
  if (!fluxVersion) throw notFlux(`no ${VERSION_LABEL} label tells its Flux version`);
  return { objects, fluxVersion };
}
