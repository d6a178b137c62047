#!/usr/bin/env node
import { useInvocationDirectory } from '@recurrent/core/node';
import { runCli } from './main.js';

// `pnpm recurrent-text …` anywhere in a checkout: relative paths mean the directory the user typed it in (pnpm runs
// scripts in the package's directory). `pnpm --filter @recurrent/text cli …` keeps resolving them in packages/text.
useInvocationDirectory(['recurrent-text']);
process.exitCode = await runCli(process.argv.slice(2));
