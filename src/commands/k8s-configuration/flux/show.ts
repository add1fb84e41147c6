import { defineVerb } from '../../verb.js';
import { withWatch } from '../../watch.js';
import { armOf, buildView, driftWarning, readConfiguration } from './live.js';
import { configurationTable } from './table.js';
import { artifactRevision } from './view.js';
import { declareTarget, parseTarget } from './target.js';

export const verb = withWatch(
  defineVerb({
    flags: (cmd) => declareTarget(cmd),
    parse: parseTarget,
    run: async (o, deps) => {
      const kube = await deps.kube();
      const live = await readConfiguration(kube, o.name, o.namespace, {
        allowIncomplete: true,
        cached: true,
        forView: true,
      });
      const revision = artifactRevision(live.source);
      if (revision) deps.log.info(`source artifact revision (Flux): ${revision}`);
      return buildView(kube, live, armOf(deps, kube), driftWarning(deps, live.config.name));
    },
    table: configurationTable,
  }),
);
