/** The -o formats (az's). Apart from src/ui/output.ts so that declaring the flag loads no formatter. */
export const outputFormats = ['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none'] as const;
export type OutputFormat = (typeof outputFormats)[number];
