// brain.js (CPU) recurrent LSTM with one hidden layer of 256. brain.js trains one sequence at a time (no batches,
// its own RMSprop-style update), so W1 is measured as characters trained per second on 64-char windows.
import brain from 'brain.js';
import { W1, W2, type Runner } from '../types.js';
import { Rng, loadCharCorpus } from '../data.js';

function makeNet(chars: string[]) {
  const dataFormatter = new brain.utilities.DataFormatter(chars);
  return new brain.recurrent.LSTM({ hiddenLayers: [W1.hidden], dataFormatter, maxPredictionLength: W2.chars });
}

function windows(text: string, rng: Rng, count: number): string[] {
  return Array.from({ length: count }, () => {
    const off = rng.int(text.length - W1.seq - 1);
    return text.slice(off, off + W1.seq);
  });
}

export async function w1Brain(options: { quick: boolean }): Promise<Runner> {
  const corpus = loadCharCorpus();
  const net = makeNet(corpus.chars);
  const rng = new Rng(1);
  net.train(windows(corpus.text, rng, 1), { iterations: 1, errorThresh: 0, log: false });
  const perRep = options.quick ? 2 : 4;
  return {
    run() {
      const data = windows(corpus.text, rng, perRep);
      const t0 = performance.now();
      net.train(data, { iterations: 1, errorThresh: 0, log: false });
      return (perRep * W1.seq) / ((performance.now() - t0) / 1000);
    },
  };
}

export async function w2Brain(): Promise<Runner> {
  const corpus = loadCharCorpus();
  const net = makeNet(corpus.chars);
  const rng = new Rng(3);
  net.train(windows(corpus.text, rng, 1), { iterations: 1, errorThresh: 0, log: false });
  return {
    run() {
      const t0 = performance.now();
      // sampled (not greedy) so the output does not stop early on a repeated argmax
      const out = net.run('T', true, 1) as string;
      return (performance.now() - t0) / Math.max(1, out.length);
    },
  };
}
