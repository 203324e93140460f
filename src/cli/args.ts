/** Argument checks shared by the commands: each returns the value, or a one-line message. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config, Model } from '../dsl/ir.ts';
import { EXIT } from './command.ts';
import { reportUsage } from './report.ts';
import { loadModels } from './load-models.ts';
import { freshSeed, isSeed, MAX_SEED, type Seed } from '../engine/random.ts';

export function count(s: string | undefined, dflt: number, what: string): number | string {
  if (s === undefined) return dflt;
  const n = Number(s);
  return /^\d+$/.test(s) && Number.isSafeInteger(n) && n > 0 ? n : `${what} must be a positive integer, got ${JSON.stringify(s)}`;
}

export function seconds(s: string | undefined, dflt: number, what: string): number | string {
  if (s === undefined) return dflt;
  const n = Number(s);
  return /^\d+(\.\d+)?$/.test(s) && n > 0 ? n : `${what} must be a positive number of seconds, got ${JSON.stringify(s)}`;
}

export function probability(s: string | undefined, dflt: number, what: string): number | string {
  if (s === undefined) return dflt;
  const n = Number(s);
  return /^\d*\.?\d+$/.test(s) && n >= 0 && n <= 1 ? n : `${what} must be a probability from 0 to 1, got ${JSON.stringify(s)}`;
}

export function seedArg(s: string | undefined): Seed | string {
  if (s === undefined) return freshSeed();
  const n = /^(\d+|0x[0-9a-f]+)$/i.test(s) ? Number(s) : NaN;
  return isSeed(n) ? n : `--seed must be an integer from 0 to ${MAX_SEED}, got ${JSON.stringify(s)}`;
}

/** The named configuration, or `small` (else the first) when none is named. */
export function pickConfig(model: Model, name: string | undefined): Config | string {
  const want = name ?? (model.configs.some((c) => c.name === 'small') ? 'small' : model.configs[0]?.name);
  const c = model.configs.find((x) => x.name === want);
  return c ?? `${model.name} has no configuration ${want ?? ''}; configurations: ${model.configs.map((x) => x.name).join(', ')}`;
}


/** Prints `poolspec <command>: USAGE: message` (one line); the exit code for usage errors. */
export function usageError(_command: string, _usage: string, message: string): number {
  return reportUsage(message);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--opt -3` becomes `--opt=-3` for options that take a value, so a negative number reaches the
 * value check ("must be a positive integer, got -3") instead of parseArgs' "argument is ambiguous".
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const opt = a.startsWith('--') ? options[a.slice(2)] : undefined;
    if (opt?.type === 'string' && i + 1 < argv.length && /^-\d|^-\.\d/.test(argv[i + 1])) {
      out.push(`${a}=${argv[i + 1]}`);
      i += 1;
    } else out.push(a);
  }
  return out;
}

/** Parses a command's arguments; on a usage error prints it and returns the exit code instead. */
export function parseCommand<O extends Options>(command: string, usage: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), allowPositionals: true, options, strict: true });
  } catch (err) {
    // parseArgs' first sentence says it ("Unknown option '--bogus'"); the rest is advice about '--'.
    return usageError(command, usage, (err as Error).message.split('\n')[0].replace(/\.\s.*$/, ''));
  }
}

/** The one spec a command works on, and its configuration (`small` unless named). */
export async function oneSpec(command: string, usage: string, positionals: string[], configName: string | undefined): Promise<{ model: Model; config: Config } | number> {
  if (positionals.length !== 1) return usageError(command, usage, positionals.length ? `one spec at a time, got ${positionals.join(' ')}` : 'name a spec');
  const models = await loadModels(positionals);
  if (!models) return EXIT.ERROR;
  const config = pickConfig(models[0], configName);
  if (typeof config === 'string') return usageError(command, usage, config);
  return { model: models[0], config };
}
