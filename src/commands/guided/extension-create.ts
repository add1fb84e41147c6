// Guided `k8s-extension create` on a terminal: the extension name, the Flux components (a checkbox →
// `--config <component>.enabled=true|false`) and multi-tenancy (→ `multiTenancy.enforce`), then the verb's own parse,
// a summary, the equivalent command line and a confirmation. Nothing reaches the cluster before the confirmation.
import { validateExtensionName } from '../../model/extension/record.js';
import { components, defaultOn, parseSettingTokens, type Component } from '../../model/extension/settings.js';
import { EXTENSION_TYPE } from '../../model/extension/versions.js';
import { makeAsker, type Asker } from '../../ui/ask.js';
import type { Flags, GuideContext } from '../verb.js';
import type { GuidedFlags, Word } from './command-line.js';
import { checkWith, confirmGuided } from './shared.js';

export interface ExtensionAnswers {
  readonly name?: string;
  readonly extensionType?: string;
  /** The components to run; the others are disabled. Undefined: settings were given on the command line. */
  readonly enabled?: readonly Component[];
  readonly multiTenancy?: boolean;
}

/** Whether the flags lack something `k8s-extension create` requires. */
export function extensionCreateMissing(flags: Flags): boolean {
  return flags.name === undefined || flags.extensionType === undefined;
}

/** The `--config` tokens of the answers: every component's `enabled`, then `multiTenancy.enforce`. */
export function extensionSettingTokens(a: ExtensionAnswers): string[] {
  const tokens = a.enabled ? components.map((c) => `${c}.enabled=${a.enabled!.includes(c)}`) : [];
  if (a.multiTenancy !== undefined) tokens.push(`multiTenancy.enforce=${a.multiTenancy}`);
  return tokens;
}

/** The answers as flags for parse and as the words of the command line. */
export function extensionAnswersToFlags(a: ExtensionAnswers): GuidedFlags {
  const flags: Flags = {};
  const words: Word[] = [];
  if (a.name !== undefined) {
    flags.name = a.name;
    words.push({ text: '--name' }, { text: a.name });
  }
  if (a.extensionType !== undefined) {
    flags.extensionType = a.extensionType;
    words.push({ text: '--extension-type' }, { text: a.extensionType });
  }
  const tokens = extensionSettingTokens(a);
  if (tokens.length) {
    flags.config = tokens;
    words.push({ text: '--config' }, ...tokens.map((text) => ({ text })));
  }
  return { flags, words };
}

const SETTING_FLAGS = ['config', 'configSettings', 'configurationSettingsFile', 'configFile', 'configurationSettings'];

export async function askExtension(ask: Asker, flags: Flags): Promise<ExtensionAnswers> {
  const a: { -readonly [K in keyof ExtensionAnswers]: ExtensionAnswers[K] } = {};
  if (flags.name === undefined)
    a.name = await ask.input('Name of the extension (--name):', {
      default: 'flux',
      check: checkWith((v) => validateExtensionName(v)),
    });
  if (flags.extensionType === undefined) a.extensionType = EXTENSION_TYPE; // the one type fluxcfg installs
  if (!SETTING_FLAGS.some((f) => flags[f] !== undefined)) {
    const choices = components.map((c) => ({ value: c, name: c, checked: defaultOn.includes(c) }));
    a.enabled = await ask.checkbox('Flux components to install (space toggles, enter accepts)', choices);
    a.multiTenancy = await ask.confirm(
      'Enforce multi-tenancy (no cross-namespace references; Kustomizations impersonate flux-applier)?',
      true,
    );
    // the same parser as --config, before anything is shown as final
    parseSettingTokens(extensionSettingTokens(a), '--configuration-settings');
  }
  return a;
}

export function extensionSummary(flags: Flags, a: ExtensionAnswers): string[] {
  const rows: [string, string][] = [
    ['name', String(flags.name)],
    ['extension type', String(flags.extensionType)],
  ];
  if (a.enabled) {
    rows.push(['components', a.enabled.join(', ') || '(none)']);
    rows.push(['disabled', components.filter((c) => !a.enabled!.includes(c)).join(', ') || '(none)']);
  }
  if (a.multiTenancy !== undefined) rows.push(['multi-tenancy', a.multiTenancy ? 'enforced' : 'off']);
  return rows.map(([k, v]) => `  ${k.padEnd(14)} ${v}`);
}

/** VerbSpec.guide of `k8s-extension create`. */
export async function guideExtensionCreate(flags: Flags, context: GuideContext): Promise<Flags> {
  if (!extensionCreateMissing(flags)) return flags;
  const ask = makeAsker(context.deps.io);
  const answers = await askExtension(ask, flags);
  const guided = extensionAnswersToFlags(answers);
  const merged = { ...flags, ...guided.flags };
  context.parse(merged);
  await confirmGuided(
    ask,
    context,
    'Install Flux with these settings?',
    extensionSummary(merged, answers),
    guided.words,
  );
  return merged;
}
