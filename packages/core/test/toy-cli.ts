// Child process of reliability.test.ts: the toy task's CLI on core's runTaskCli (as a task package's bin.ts is), so
// the test can send it real signals.
import { registerTrainingTask } from '../src/index.js';
import { runTaskCli } from '../src/node.js';
import { registerToyModelKind, TOY_PACKAGE, toyRegistration } from './toy-training-task.js';

registerToyModelKind();
registerTrainingTask(toyRegistration);
process.exitCode = await runTaskCli(
  { program: 'toy-cli', summary: 'a test CLI', packages: [TOY_PACKAGE] },
  process.argv.slice(2),
);
