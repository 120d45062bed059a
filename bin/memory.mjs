// The memory settings of the long-running commands, which only take effect when the process starts: V8 sizes the API
// thread's young generation when it creates the isolate (v8.setFlagsFromString is too late), glibc reads
// MALLOC_ARENA_MAX when it starts. See docs/benchmarks.md, "Peak memory" (issue 17).

/** Commands that run long enough for their peak memory to matter: the server and the CLI import. */
export const LONG_RUNNING = new Set(['start', 'import']);
/** Most MB of one semi-space of the API thread's young generation (V8's default here is 64: 128 MB of new space). */
export const SEMI_SPACE_MB = 8;
/** glibc malloc arenas (its default is 8 per core: each thread that mallocs at once gets its own and keeps its free pages; 2 made the import ~20% slower). */
export const MALLOC_ARENAS = '4';

/**
 * What to execve to run this command with the memory settings, or null when it runs as it is: not a long-running
 * command, Node without process.execve (before 22.15; on Windows it throws), or the settings already there (set by
 * the operator, who wins, or by the relaunch).
 */
export function memoryRelaunch(proc) {
  const command = proc.argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (!LONG_RUNNING.has(command) || typeof proc.execve !== 'function' || proc.platform === 'win32') return null;
  const flagged = [...proc.execArgv, ...(proc.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => /^--max-semi-space-size\b/.test(arg));
  if (flagged && proc.env.MALLOC_ARENA_MAX !== undefined) return null;
  const flags = flagged ? [] : [`--max-semi-space-size=${SEMI_SPACE_MB}`];
  return {
    file: proc.execPath,
    args: [proc.execPath, ...proc.execArgv, ...flags, proc.argv[1], ...proc.argv.slice(2)],
    env: { ...proc.env, MALLOC_ARENA_MAX: proc.env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS },
  };
}
