import { deleteExtension } from '../../extension/uninstall.js';
import { defineVerb } from '../verb.js';
import { parseTimeoutMs } from '../../model/duration.js';
import { nameFlag, parseName } from './flags.js';

export const verb = defineVerb({
  flags: (cmd) => {
    nameFlag(cmd);
    cmd
      .option('--force', 'delete even while Flux objects exist: they are removed with Flux, their finalizers cleared')
      .option('--no-wait', 'do not wait for the CustomResourceDefinitions to be removed')
      .option('--wait-timeout <duration>', 'how long to wait for the removal', '2m');
  },
  parse: (flags) => ({
    name: parseName(flags),
    force: Boolean(flags.force),
    wait: flags.wait !== false,
    waitTimeoutMs: parseTimeoutMs(String(flags.waitTimeout ?? '2m'), '--wait-timeout'),
  }),
  run: async (options, deps) => {
    await deleteExtension(deps, options);
    return undefined;
  },
});
