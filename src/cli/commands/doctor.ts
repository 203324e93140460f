/** `poolspec doctor`: is this machine ready to check specs? Java, the TLC jar, its checksum and version. */
import { formatError, type PoolspecError } from '../../errors.ts';
import { javaVersion, locateJar, tlcVersion } from '../../tlc/index.ts';
import { EXIT, type Command } from '../command.ts';
import { parseCommand, seconds } from '../args.ts';
import { setToolTimeout } from '../../tlc/java.ts';
import { report, reportUsage } from '../report.ts';

const command: Command = {
  name: 'doctor',
  summary: 'report Java, the TLC jar (path, sha256) and the TLC version',
  usage: 'usage: poolspec doctor [--timeout SECONDS]',
  async run(argv) {
    const args = parseCommand('doctor', 'usage: poolspec doctor', argv, { timeout: { type: 'string' } });
    if (typeof args === 'number') return args;
    if (args.positionals.length) return reportUsage(`doctor takes no arguments, got ${args.positionals.join(' ')}`);
    const timeout = seconds(args.values.timeout, 60, '--timeout');
    if (typeof timeout === 'string') return reportUsage(timeout);
    setToolTimeout(timeout);
    let status: number = EXIT.OK;
    const tlcErrors: PoolspecError[] = [];
    const java = await javaVersion();
    if (java.ok) console.log(`java      ${java.value}`);
    else { status = EXIT.ERROR; for (const e of java.errors) console.log(`java      ${formatError(e)}`); }
    const jar = await locateJar();
    if (!jar.ok) {
      for (const e of jar.errors) console.log(`tlc jar   ${formatError(e)}`);
      return report(...(java.ok ? [] : java.errors), ...jar.errors);
    }
    console.log(`tlc jar   ${jar.value.path} (${jar.value.source === 'env' ? 'from TLA2TOOLS_JAR' : 'cached'})`);
    console.log(`sha256    ${jar.value.sha256}`);
    if (java.ok) {
      const v = await tlcVersion(jar.value.path);
      if (v.ok) console.log(`tlc       ${v.value}`);
      else { status = EXIT.ERROR; tlcErrors.push(...v.errors); for (const e of v.errors) console.log(`tlc       ${formatError(e)}`); }
    }
    if (status !== EXIT.OK) return report(...(java.ok ? [] : java.errors), ...tlcErrors);
    return status;
  },
};
export default command;
