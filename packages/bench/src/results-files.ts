// Where a bench run writes its tables. Only the complete run (`pnpm bench`, every workload and implementation, full
// repetitions) writes the committed bench-results.{md,json}; `--quick` runs go to bench-results.quick.{md,json} and
// subsets (`--only`, `--impls`) to bench-results.partial.{md,json}, both git-ignored, so a quick look never overwrites
// the figures the README quotes.

export interface RunSelection {
  quick: boolean;
  /** `--only` workloads, or null for all. */
  only: readonly string[] | null;
  /** `--impls` implementations, or null for all. */
  impls: readonly string[] | null;
}

/** The file name without extension: bench-results, bench-results.quick or bench-results.partial. */
export function resultsBaseName(run: RunSelection): string {
  if (run.quick) return 'bench-results.quick';
  if (run.only || run.impls) return 'bench-results.partial';
  return 'bench-results';
}
