// Flux v1 image-automation annotations (reference §1.1, §5.1) → findings and drafts: an ImageRepository per image
// and an ImagePolicy per `semver:` filter, with the `$imagepolicy` marker to put on the image line in Git. `glob:`
// and `regex:` picked the newest image by build time, which v2 cannot do: a finding, no draft. Pure.
import type { KubeObject } from '../../k8s/types.js';
import { describeRef } from '../../k8s/types.js';
import { formatGoDuration } from '../../model/duration.js';
import { MANAGED_BY_LABEL, MANAGER } from '../../model/naming.js';
import { parseImage, type AutomatedWorkload } from '../../model/migrate/inventory.js';
import { slugName } from './helm-release.js';
import type { Finding } from './types.js';

export const IMAGE_API_VERSION = 'image.toolkit.fluxcd.io/v1';

/** `fluxcd.io/tag.<c>`, `flux.weave.works/tag.<c>` or `filter.fluxcd.io/<c>` → container → filter. */
function tagFilters(annotations: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(annotations)) {
    const m = /^(?:fluxcd\.io|flux\.weave\.works)\/tag\.(.+)$/.exec(k) ?? /^filter\.fluxcd\.io\/(.+)$/.exec(k);
    if (m) out.set(m[1]!, v);
  }
  return out;
}

export interface ImageAutomationResult {
  findings: Finding[];
  objects: KubeObject[];
}

/** Findings and drafts for every automated workload; `interval` is fluxd's --automation-interval in seconds. */
export function convertImageAutomation(workloads: readonly AutomatedWorkload[], interval = 300): ImageAutomationResult {
  const findings: Finding[] = [];
  const objects: KubeObject[] = [];
  const repos = new Map<string, string>();
  for (const w of workloads) {
    const subject = describeRef(w.ref);
    const ns = w.ref.namespace ?? 'default';
    const a = w.annotations;
    const flag = (name: string) => a[`fluxcd.io/${name}`] ?? a[`flux.weave.works/${name}`];
    if (flag('ignore') !== undefined && flag('ignore') !== 'false') {
      findings.push({
        severity: 'warning',
        code: 'v1-ignore',
        subject,
        message: `annotation fluxcd.io/ignore: ${flag('ignore')} is not understood by Flux v2`,
        action: 'annotate the object in Git with kustomize.toolkit.fluxcd.io/reconcile: disabled instead',
      });
    }
    if (flag('locked') === 'true') {
      findings.push({
        severity: 'note',
        code: 'v1-locked',
        subject,
        message: 'the workload is locked (fluxcd.io/locked): Flux v2 has no per-workload lock',
        action: 'leave it out of the ImageUpdateAutomation, or suspend the automation',
      });
    }
    const automated = flag('automated') === 'true';
    const filters = tagFilters(a);
    if (!automated && filters.size === 0) continue;
    const containers = Object.keys(w.images).length > 0 ? Object.keys(w.images) : [...filters.keys()];
    const markers: string[] = [];
    for (const container of containers) {
      const filter = filters.get(container) ?? (a['fluxcd.io/tag_all'] || 'glob:*');
      const image = w.images[container];
      const name = slugName(`${w.ref.name}-${container}`);
      if (!filter.startsWith('semver:')) {
        findings.push({
          severity: 'warning',
          code: 'image-automation-by-build-time',
          subject,
          message:
            `container ${container}: filter ${filter} picked the newest image by build time, which Flux v2 ` +
            `cannot do`,
          action:
            'tag images sortably (e.g. <branch>-<sha>-<timestamp>) and write an ImagePolicy with filterTags ' +
            'and a numerical or alphabetical policy',
        });
        continue;
      }
      if (!image) {
        findings.push({
          severity: 'warning',
          code: 'image-automation-image-unknown',
          subject,
          message: `container ${container}: the image is not known, no ImageRepository drafted`,
          action: `write an ImageRepository and an ImagePolicy with semver range ${filter.slice('semver:'.length)}`,
        });
        continue;
      }
      const ref = parseImage(image);
      const repoImage = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
      let repoName = repos.get(`${ns}/${repoImage}`);
      if (!repoName) {
        repoName = slugName(ref.repository.split('/').pop() ?? name);
        while ([...repos.values()].includes(repoName)) repoName = `${repoName}-${repos.size + 1}`;
        repos.set(`${ns}/${repoImage}`, repoName);
        objects.push({
          apiVersion: IMAGE_API_VERSION,
          kind: 'ImageRepository',
          metadata: { name: repoName, namespace: ns, labels: { [MANAGED_BY_LABEL]: MANAGER } },
          spec: { image: repoImage, interval: formatGoDuration(interval) },
        });
      }
      objects.push({
        apiVersion: IMAGE_API_VERSION,
        kind: 'ImagePolicy',
        metadata: { name, namespace: ns, labels: { [MANAGED_BY_LABEL]: MANAGER } },
        spec: { imageRepositoryRef: { name: repoName }, policy: { semver: { range: filter.slice('semver:'.length) } } },
      });
      markers.push(`${container}: # {"$imagepolicy": "${ns}:${name}"}`);
    }
    if (markers.length > 0) {
      findings.push({
        severity: 'warning',
        code: 'image-automation',
        subject,
        message: 'Flux v2 ignores the v1 automation annotations; ImageRepository/ImagePolicy drafts are in the plan',
        action:
          `commit the drafts, add the markers to the image lines in Git (${markers.join('; ')}) and an ` +
          `ImageUpdateAutomation with a write deploy key`,
      });
    }
  }
  return { findings, objects };
}
