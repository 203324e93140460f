/**
 * TLC's own distributed mode (tlc2.tool.distributed in the pinned jar): a TLCServer holds the state
 * queue and the fingerprint set, TLCWorkers on any host fetch the spec from it over RMI and compute
 * successors. poolspec starts the server and N local workers over the loopback interface, and prints
 * the command that adds a worker on another host. No distribution layer of ours: only process setup.
 *
 * What TLC's distributed mode checks: invariants, deadlock, and action properties ([][A]_v); it
 * silently skips temporal properties (TLCApp reads no liveness), so callers must not pass it a
 * configuration with PROPERTIES and call the result complete (check.ts runs those locally).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { fail, ok, type Result } from '../errors.ts';
import { trackChild, trackDir } from '../cleanup.ts';
import { JAVA } from './java.ts';
import { runTlc, type RunTlcOptions, type TlcRun } from './run-tlc.ts';
import { watchedJavaArgs } from './watchdog.ts';

/** TLC's message: the server has its initial states and waits for workers (EC.TLC_DISTRIBUTED_SERVER_RUNNING). */
export const TLC_DISTRIBUTED_SERVER_RUNNING = 7000;
/** EC.TLC_DISTRIBUTED_WORKER_REGISTERED */
export const TLC_DISTRIBUTED_WORKER_REGISTERED = 7001;

export interface DistributedOptions extends Omit<RunTlcOptions, 'workers' | 'mainClass' | 'jvmArgs' | 'onMessage'> {
  /** Local workers to start (0: only the server; workers from other hosts join it). */
  tlcWorkers: number;
  /** The address the server advertises over RMI (default 127.0.0.1: loopback, local workers only). */
  host?: string;
  /** Called once the server is ready, with the command that starts a worker on another host. */
  onServerReady?: (workerCommand: string) => void;
}

export interface DistributedRun extends TlcRun {
  port: number;
  host: string;
  tlcWorkers: number;
  /** Workers that registered with the server (TLC's count; one per worker JVM with threadCount 1). */
  registered: number;
  workerCommand: string;
}

/** A free TCP port on the loopback interface (the RMI registry's). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const PORT_PROP = 'tlc2.tool.distributed.TLCServer.port';
/** Java 17 hides the RMI internals TLCWorker reads its own port from (it only prints a warning without). */
const WORKER_OPENS = ['--add-opens', 'java.rmi/sun.rmi.server=ALL-UNNAMED', '--add-opens', 'java.rmi/sun.rmi.transport=ALL-UNNAMED'];

export function workerCommand(jar: string, host: string, port: number): string {
  return [JAVA, `-D${PORT_PROP}=${port}`, '-Djava.rmi.server.hostname=<this worker\'s address>', ...WORKER_OPENS, '-cp', jar, 'tlc2.tool.distributed.TLCWorker', host].join(' ');
}

export async function runTlcDistributed(opts: DistributedOptions): Promise<Result<DistributedRun>> {
  const host = opts.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await freePort();
  } catch (err) {
    return fail({ code: 'TLC_ERROR', message: `no free port for TLC's distributed server: ${(err as Error).message}` });
  }
  const cmd = workerCommand(opts.jar, host, port);
  const scratch = await mkdtemp(join(tmpdir(), 'poolspec-tlcworkers-'));
  const untrackDir = trackDir(scratch);
  const workers: { child: ResultPromise; untrack: () => void }[] = [];
  let registered = 0;
  const deadlineMs = opts.timeoutSeconds !== undefined ? Date.now() + opts.timeoutSeconds * 1000 + 10_000 : undefined;
  const startWorkers = async () => {
    for (let i = 0; i < opts.tlcWorkers; i += 1) {
      const args = await watchedJavaArgs(
        [`-D${PORT_PROP}=${port}`, `-Djava.rmi.server.hostname=${host}`, '-Dtlc2.tool.distributed.TLCWorker.threadCount=1',
          `-Djava.io.tmpdir=${scratch}`, ...WORKER_OPENS],
        opts.jar, 'tlc2.tool.distributed.TLCWorker', [host], { cleanupDir: scratch, ...(deadlineMs ? { deadlineMs } : {}) },
      );
      const child = execa(JAVA, args, { cwd: scratch, reject: false, all: true, stdin: 'pipe', killSignal: 'SIGTERM', forceKillAfterDelay: 3000 });
      workers.push({ child, untrack: trackChild(child) });
    }
  };
  let starting: Promise<void> | null = null;
  try {
    const r = await runTlc({
      ...opts,
      mainClass: 'tlc2.tool.distributed.TLCServer',
      // The server reports progress (and notices it is done) every report interval: 1 minute by default.
      jvmArgs: [`-D${PORT_PROP}=${port}`, `-Djava.rmi.server.hostname=${host}`, '-Dtlc2.tool.distributed.TLCServer.report=2000'],
      onMessage: (m) => {
        if (m.code === TLC_DISTRIBUTED_SERVER_RUNNING && !starting) {
          opts.onServerReady?.(cmd);
          starting = startWorkers();
        }
        if (m.code === TLC_DISTRIBUTED_WORKER_REGISTERED) registered += 1;
      },
    });
    await starting;
    if (!r.ok) return r;
    return ok({ ...r.value, port, host, tlcWorkers: opts.tlcWorkers, registered, workerCommand: cmd });
  } finally {
    await starting;
    // The server asks its workers to exit when it is done; any left (a failed run) are stopped here.
    for (const w of workers) {
      const exited = await Promise.race([w.child.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 5000))]);
      if (!exited) {
        w.child.kill('SIGTERM');
        await w.child;
      }
      w.untrack();
    }
    await rm(scratch, { recursive: true, force: true });
    untrackDir();
  }
}
