// Plain JavaScript: a TypeScript preload would make Node load its TypeScript stripper into every child, which
// `npm start` (bin/beckon.mjs with a warm compile cache) does not.
// Preloaded (--import) into every child the bench spawns: the child exits when its parent dies,
// so a bench killed with SIGKILL never leaves servers behind. It does nothing else.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500).unref();
