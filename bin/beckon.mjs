#!/usr/bin/env node
// Runs Beckon's CLI with the Node.js that runs this file (24+ strips TypeScript types natively). This entry is plain
// JavaScript so the compile cache is on before the first .ts file is read: when every file's stripped form is cached,
// Node never loads its TypeScript stripper (a WebAssembly build of SWC, ~15 MB of memory and ~0.1 s to start).
import { enableCompileCache } from 'node:module';
import { memoryRelaunch } from './memory.mjs';

const relaunch = memoryRelaunch(process);
// replaces this process (same pid, same stdio) before anything is loaded; where Node has no execve, runs as it is
if (relaunch) process.execve(relaunch.file, relaunch.args, relaunch.env);
enableCompileCache();
await import('../src/main.ts');
