#!/usr/bin/env node
// Runs Beckon's CLI with the Node.js that runs this file (24+ strips TypeScript types natively).
await import('../src/main.ts');
