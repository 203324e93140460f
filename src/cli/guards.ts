/**
 * Process-wide guards of a poolspec run: every temporary directory goes into a private one, and
 * SIGINT/SIGTERM/SIGHUP kill the tools poolspec started, remove its temporary directories and exit
 * 128 + the signal number (130, 143, 129) after one line saying so. Exceptions that escape every
 * command still end as one line and exit 2.
 */
import { cleanupNow, usePrivateTmpdir } from '../cleanup.ts';
import { endStressWorkers } from '../runtime/stress.ts';
import { EXIT } from './command.ts';
import { errorDocument, fromException, report } from './report.ts';

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

let installed = false;

export function installProcessGuards(): void {
  if (installed) return;
  installed = true;
  usePrivateTmpdir();
  for (const [sig, code] of Object.entries(SIGNALS)) {
    process.on(sig, () => {
      void endStressWorkers();
      cleanupNow();
      report({ code: 'INTERRUPTED', message: `interrupted by ${sig}; child processes ended and temporary files removed` });
      const doc = errorDocument(EXIT.ERROR);
      if (doc) process.stdout.write(`${doc}\n`);
      process.exit(code);
    });
  }
  const die = (err: unknown) => {
    cleanupNow();
    report(...fromException(err));
    const doc = errorDocument(EXIT.ERROR);
    if (doc) process.stdout.write(`${doc}\n`);
    process.exit(EXIT.ERROR);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
}
