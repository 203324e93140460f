/** What every CLI command module exports. Exit codes: 0 ok, 1 a result did not match, 2 usage or tool error. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const EXIT = { OK: 0, MISMATCH: 1, ERROR: 2 } as const;
