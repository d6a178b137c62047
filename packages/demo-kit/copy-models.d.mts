export type ModelDescription =
  | { skip: string }
  | { kind: string; title: string; description: string; metric: string; order?: number; [extra: string]: unknown };

export interface CopyModelsOptions {
  source: string;
  target: string;
  required: string[];
  /** Copied (and listed in the entry's `files`) when a folder has them. */
  optional?: string[];
  describe: (name: string, dir: string) => ModelDescription;
  label?: string;
}

/** Copy the complete model folders of `source` to `target` and write target/manifest.json; returns its entries. */
export function copyModels(
  options: CopyModelsOptions,
): Array<Record<string, unknown> & { name: string; bytes: number }>;
