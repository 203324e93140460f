/**
 * How a command reports failure: one line per error on stderr, `poolspec <command>: CODE: message`
 * (with file:line where there is one), and with --json a JSON error document on stdout instead of
 * nothing. The command being run and whether it is a --json run are set once by main.
 */
import { formatCommandError, formatError, type PoolspecError } from '../errors.ts';
import { EXIT } from './command.ts';

const state = { command: 'poolspec', json: false, errors: [] as PoolspecError[], stdoutUsed: false };

export function setCommand(command: string, json: boolean): void {
  state.command = command;
  state.json = json;
  state.errors = [];
  state.stdoutUsed = false;
  // A --json run must end with a document on stdout; note whether the command printed one.
  if (!wrapped) {
    wrapped = true;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      state.stdoutUsed = true;
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
}
let wrapped = false;

export const currentCommand = () => state.command;

/** Prints each error as one line and remembers it for the JSON document; returns exit code 2. */
export function report(...errors: PoolspecError[]): number {
  for (const e of errors) {
    state.errors.push(e);
    process.stderr.write(`${formatCommandError(state.command, e)}\n`);
  }
  return EXIT.ERROR;
}

/** A usage error: one line, exit 2. */
export function reportUsage(message: string): number {
  return report({ code: 'USAGE', message: `${message} (see poolspec ${state.command} --help)` });
}

/** The JSON error document a --json run prints when it failed without printing anything. */
export function errorDocument(exitCode: number): string | null {
  if (!state.json || state.stdoutUsed || exitCode !== EXIT.ERROR) return null;
  return JSON.stringify({
    command: state.command,
    exitCode,
    error: state.errors[0] ? { code: state.errors[0].code, message: state.errors[0].message } : { code: 'INTERNAL_ERROR', message: 'failed without a message' },
    errors: state.errors.map((e) => ({ ...e, text: formatError(e) })),
  }, null, 2);
}

/** An exception that escaped a command, as an error value (never a stack trace for the user). */
export function fromException(err: unknown): PoolspecError[] {
  const errors = (err as { errors?: PoolspecError[] })?.errors;
  if (Array.isArray(errors) && errors.every((e) => e && typeof e.code === 'string')) return errors;
  const e = err as NodeJS.ErrnoException;
  const message = (e?.message ?? String(err)).split('\n')[0];
  if (e?.code === 'EACCES' || e?.code === 'EROFS' || e?.code === 'ENOENT' || e?.code === 'ENOTDIR' || e?.code === 'EISDIR' || e?.code === 'ENOSPC') {
    return [{ code: 'OUTPUT_ERROR', message }];
  }
  if (e instanceof RangeError && /allocation|Array buffer|memory/i.test(message)) return [{ code: 'RESOURCE_LIMIT', message }];
  return [{ code: 'INTERNAL_ERROR', message: `${message} (a bug in poolspec; please report it)` }];
}
