#!/usr/bin/env node
import { useInvocationDirectory } from '@recurrent/core/node';
import { runCli } from './main.js';

// `pnpm recurrent-text …` (root script) or `pnpm cli …` (this package): paths are relative to where the user stands.
useInvocationDirectory(['recurrent-text', 'cli']);
process.exitCode = await runCli(process.argv.slice(2));
