import { spawnSync } from 'node:child_process';
import { delimiter, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunOptions {
  cwd: string;
  /** Throw when the command exits with a non-zero status (default true). */
  check?: boolean;
  /** Kill the command after this long (default 180 s): a hang fails the test with its output instead of stalling CI. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

// What a user's shell would not have: the variables pnpm, turbo and vitest set for this process (NODE_OPTIONS could
// carry a loader or `--conditions=@recurrent/source`, which would defeat the point of running plain node).
const INHERITED_PREFIXES = ['npm_package_', 'npm_lifecycle_', 'pnpm_', 'PNPM_', 'VITEST', 'TURBO_'];
const INHERITED_NAMES = new Set(['npm_config_user_agent', 'npm_node_execpath', 'NODE_OPTIONS', 'NODE_ENV']);
const inheritedOnlyHere = (key: string) =>
  INHERITED_NAMES.has(key) || INHERITED_PREFIXES.some((prefix) => key.startsWith(prefix));

// PATH loses the workspace's node_modules/.bin folders, so a bin can only come from the project's own install.
function userEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !inheritedOnlyHere(key)));
  const inWorkspace = (dir: string) => resolve(dir) === workspaceRoot || resolve(dir).startsWith(workspaceRoot + sep);
  env.PATH = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !inWorkspace(dir))
    .join(delimiter);
  return env;
}

/** Run a command without a shell in a user's environment; on failure the error shows its output. */
export function run(command: string, args: readonly string[], options: RunOptions): RunResult {
  const env = userEnvironment();
  const timeout = options.timeoutMs ?? 180_000;
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
  });
  if (result.error) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    const what = `${command} ${args.join(' ')} (in ${options.cwd})`;
    throw new Error(`${what}: ${result.error.message} (timeout ${timeout} ms)\n${output}`);
  }
  const { stdout, stderr, status } = result;
  if ((options.check ?? true) && status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited with ${status}\n${stdout}\n${stderr}`);
  }
  return { stdout, stderr, status };
}
