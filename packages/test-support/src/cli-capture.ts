// Run a CLI in-process with its output captured: every package's CLI tests call their `runCli(argv, io)` through it.

/** The I/O a CLI run gets: output and error text, and standard input when the test gives some. */
export interface CapturedIO {
  out: (text: string) => void;
  err: (text: string) => void;
  readStdin?: () => Promise<string>;
}

/** What the run printed and its exit code. */
export interface CapturedRun {
  code: number;
  out: string;
  err: string;
}

/** Run `run` with captured output; `stdin` (when given) is what the CLI reads from standard input. */
export async function captureCli(
  run: (io: CapturedIO) => Promise<number>,
  options: { stdin?: string } = {},
): Promise<CapturedRun> {
  let out = '';
  let err = '';
  const io: CapturedIO = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  };
  const { stdin } = options;
  if (stdin !== undefined) io.readStdin = async () => stdin;
  const code = await run(io);
  return { code, out, err };
}
