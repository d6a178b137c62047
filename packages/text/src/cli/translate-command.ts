import {
  loadModelDir,
  rejectLeftovers,
  takeBoolean,
  takeNumber,
  takeString,
  UsageError,
  type CliIO,
  type ParsedArgs,
} from '@recurrent/core/node';
import { Translator } from '../translation/translator.js';
import type { TranslateOptions, TranslationResult } from '../translation/translate.js';
import { describeTruncation } from '../models/truncation.js';

/** Standard input as lines, in order, empty lines kept (a final newline does not add an empty line). */
export function inputLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function notes(line: number, r: TranslationResult): string[] {
  const out: string[] = [];
  const cut = r.source.truncation ? describeTruncation(r.source.truncation) : null;
  if (cut) out.push(`line ${line}: source truncated: ${cut.replaceAll('tokens', 'subwords')}`);
  if (r.source.unknown.length > 0)
    out.push(`line ${line}: characters unknown to the model (left as <unk>): ${r.source.unknown.join(' ')}`);
  if (r.source.ids.length > 0 && !r.finished) out.push(`line ${line}: translation stopped at the maximum length`);
  return out;
}

const MAX_SOURCE_TOKENS = 400;

/**
 * `translate --model <dir> [--beam 5] [--alpha 0.6] [--greedy] [--json] [--batch-size 16]`: one source sentence per
 * line on stdin → one translation per line on stdout, in order (JSON objects with --json); notes, per-line errors and
 * timings on stderr. A line that fails gets an empty output line (or {"line", "error"}) and the run goes on.
 */
export async function cmdTranslate({ positionals, flags }: ParsedArgs, io: CliIO): Promise<void> {
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('translate needs --model <dir>');
  const beam = takeNumber(flags, 'beam', { integer: true, min: 1, max: 100 });
  const alpha = takeNumber(flags, 'alpha', { min: 0 });
  const greedy = takeBoolean(flags, 'greedy');
  const json = takeBoolean(flags, 'json');
  const batchSize = takeNumber(flags, 'batch-size', { integer: true, min: 1 }) ?? 16;
  rejectLeftovers(flags, 'translate');
  if (positionals.length > 0)
    throw new UsageError(`translate reads sentences from standard input, one per line; got: ${positionals.join(' ')}`);
  if (greedy && (beam !== undefined || alpha !== undefined))
    throw new UsageError('--greedy decodes without a beam: do not combine it with --beam or --alpha');
  if (!io.readStdin) throw new UsageError('translate reads sentences from standard input, one per line');
  const model = loadModelDir(dir);
  if (!(model instanceof Translator))
    throw new UsageError(`${dir} does not hold a translator (config.json "kind" must be "translator")`);
  const options: TranslateOptions = greedy
    ? { method: 'greedy', maxSourceTokens: MAX_SOURCE_TOKENS }
    : { method: 'beam', beamSize: beam ?? 5, alpha: alpha ?? 0.6, maxSourceTokens: MAX_SOURCE_TOKENS };
  const lines = inputLines(await io.readStdin());
  const t0 = performance.now();
  let failed = 0;
  const emit = (line: number, r: TranslationResult | Error): void => {
    if (r instanceof Error) {
      failed++;
      io.err(`line ${line}: error: ${r.message}\n`);
      io.out(json ? `${JSON.stringify({ line, error: r.message })}\n` : '\n');
      return;
    }
    for (const n of notes(line, r)) io.err(`${n}\n`);
    if (!json) {
      io.out(`${r.text}\n`);
      return;
    }
    const { text, tokens, attention, tokenProbabilities, nBest, score, logProb, finished, source, timings } = r;
    const record = { line, text, tokens, attention, tokenProbabilities, nBest, score, logProb, finished, source };
    io.out(`${JSON.stringify({ ...record, timings })}\n`);
  };
  for (let start = 0; start < lines.length; start += batchSize) {
    const batch = lines.slice(start, start + batchSize);
    let results: (TranslationResult | Error)[];
    try {
      results = model.translateBatch(batch, options);
    } catch {
      // One bad line must not take the others with it: translate this batch line by line.
      results = batch.map((text) => {
        try {
          return model.translate(text, options);
        } catch (e) {
          return e instanceof Error ? e : new Error(String(e));
        }
      });
    }
    results.forEach((r, i) => {
      emit(start + i + 1, r);
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const per = lines.length > 0 ? ` (${((1000 * seconds) / lines.length).toFixed(1)} ms per line)` : '';
  const how = greedy ? 'greedy' : `beam ${options.beamSize}, α ${options.alpha}`;
  io.err(`translated ${lines.length} lines in ${seconds.toFixed(2)} s${per}, ${how}`);
  io.err(failed > 0 ? `; ${failed} failed\n` : '\n');
}
