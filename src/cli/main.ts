/** Dispatch of `poolspec <command>`; each command lives in src/cli/commands/. */
import type { Command } from './command.ts';
import { EXIT } from './command.ts';

const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.ts')).default,
  gen: async () => (await import('./commands/gen.ts')).default,
  doctor: async () => (await import('./commands/doctor.ts')).default,
  'fetch-tlc': async () => (await import('./commands/fetch-tlc.ts')).default,
  simulate: async () => (await import('./commands/simulate.ts')).default,
  run: async () => (await import('./commands/run.ts')).default,
  replay: async () => (await import('./commands/replay.ts')).default,
  stress: async () => (await import('./commands/stress.ts')).default,
  prove: async () => (await import('./commands/prove.ts')).default,
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

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    console.log(await help());
    return name ? EXIT.OK : EXIT.ERROR;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`poolspec: unknown command ${name}\n${await help()}`);
    return EXIT.ERROR;
  }
  const cmd = await load();
  if (rest.includes('-h') || rest.includes('--help')) {
    console.log(`${cmd.usage}\n\n${cmd.summary}`);
    return EXIT.OK;
  }
  return cmd.run(rest);
}
