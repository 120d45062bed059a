// Preloaded (--import) into every child the bench spawns: the child exits when its parent dies,
// so a bench killed with SIGKILL never leaves servers behind. It does nothing else.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500).unref();
