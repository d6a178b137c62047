#!/usr/bin/env node
import { useInvocationDirectory } from '@recurrent/core/node';
import { runCli } from './main.js';

// `pnpm recurrent-music …` anywhere in a checkout: relative paths mean the directory the user typed it in.
useInvocationDirectory(['recurrent-music']);
process.exitCode = await runCli(process.argv.slice(2));
