/** `poolspec doctor`: is this machine ready to check specs? Java, the TLC jar, its checksum and version. */
import { formatError } from '../../errors.ts';
import { javaVersion, locateJar, tlcVersion } from '../../tlc/index.ts';
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  name: 'doctor',
  summary: 'report Java, the TLC jar (path, sha256) and the TLC version',
  usage: 'usage: poolspec doctor',
  async run() {
    let status: number = EXIT.OK;
    const java = await javaVersion();
    if (java.ok) console.log(`java      ${java.value}`);
    else { status = EXIT.ERROR; for (const e of java.errors) console.log(`java      ${formatError(e)}`); }
    const jar = await locateJar();
    if (!jar.ok) {
      for (const e of jar.errors) console.log(`tlc jar   ${formatError(e)}`);
      return EXIT.ERROR;
    }
    console.log(`tlc jar   ${jar.value.path} (${jar.value.source === 'env' ? 'from TLA2TOOLS_JAR' : 'cached'})`);
    console.log(`sha256    ${jar.value.sha256}`);
    if (java.ok) {
      const v = await tlcVersion(jar.value.path);
      if (v.ok) console.log(`tlc       ${v.value}`);
      else { status = EXIT.ERROR; for (const e of v.errors) console.log(`tlc       ${formatError(e)}`); }
    }
    return status;
  },
};
export default command;
