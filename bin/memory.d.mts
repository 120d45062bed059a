// Types of memory.mjs (plain JavaScript, read before any TypeScript) for the tests that import it.

/** Commands that run long enough for their peak memory to matter: the server and the CLI import. */
export const LONG_RUNNING: Set<string>;
/** Most MB of one semi-space of the API thread's young generation. */
export const SEMI_SPACE_MB: number;
/** glibc malloc arenas. */
export const MALLOC_ARENAS: string;

/** The parts of `process` the relaunch reads. */
export interface RelaunchProcess {
  argv: string[];
  execArgv: string[];
  execPath: string;
  platform: string;
  env: Record<string, string | undefined>;
  execve?: unknown;
}

/** What to execve to run this command with the memory settings, or null when it runs as it is. */
export function memoryRelaunch(proc: RelaunchProcess): { file: string; args: string[]; env: Record<string, string | undefined> } | null;
