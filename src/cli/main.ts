/** Dispatch of `poolspec <command>`; each command lives in src/cli/commands/. */
import type { Command } from './command.ts';
import { EXIT } from './command.ts';
import { errorDocument, fromException, report, setCommand } from './report.ts';
import { installProcessGuards } from './guards.ts';

const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.ts')).default,
  gen: async () => (await import('./commands/gen.ts')).default,
  doctor: async () => (await import('./commands/doctor.ts')).default,
  'fetch-tlc': async () => (await import('./commands/fetch-tlc.ts')).default,
  simulate: async () => (await import('./commands/simulate.ts')).default,
  run: async () => (await import('./commands/run.ts')).default,
  replay: async () => (await import('./commands/replay.ts')).default,
  stress: async () => (await import('./commands/stress.ts')).default,
  view: async () => (await import('./commands/view.ts')).default,
  prove: async () => (await import('./commands/prove.ts')).default,
  validate: async () => (await import('./commands/validate.ts')).default,
};

async function help(): Promise<string> {
  const lines = ['usage: poolspec <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
    } catch {
      // a command module that is not there yet is simply not listed
    }
  }
  return lines.join('\n');
}

/**
 * Runs one command. `guards` (the real process, not a test calling in): a private temp dir, cleanup
 * and exit 130/143 on SIGINT/SIGTERM. Whatever happens, a failure ends as exit 2 with one line per
 * error, and a --json run prints a JSON document.
 */
export async function main(argv: string[], opts: { guards?: boolean } = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    console.log(await help());
    return name ? EXIT.OK : EXIT.ERROR;
  }
  setCommand(name, rest.includes('--json'));
  const load = COMMANDS[name];
  if (!load) {
    const code = report({ code: 'USAGE', message: `unknown command ${name}; commands: ${Object.keys(COMMANDS).join(', ')}` });
    const doc = errorDocument(code);
    if (doc) console.log(doc);
    return code;
  }
  if (opts.guards) installProcessGuards();
  let code: number;
  try {
    const cmd = await load();
    if (rest.includes('-h') || rest.includes('--help')) {
      console.log(`${cmd.usage}\n\n${cmd.summary}`);
      return EXIT.OK;
    }
    code = await cmd.run(rest);
  } catch (err) {
    code = report(...fromException(err));
  }
  const doc = errorDocument(code);
  if (doc) console.log(doc);
  return code;
}
