import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root, where the CLI runs. */
export const ROOT = resolve(import.meta.dirname, '..');

/** Node arguments that run Beckon's CLI. */
export const CLI = ['--disable-warning=ExperimentalWarning', 'src/main.ts'];

/** This process's environment without any BECKON_ variable or DATABASE_URL, plus `extra` (logs at info unless it says otherwise). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BECKON_') && name !== 'DATABASE_URL'));
  return { ...env, BECKON_LOG_LEVEL: 'info', ...extra };
}

/** Runs the CLI to completion with a clean environment and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
