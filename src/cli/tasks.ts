/**
 * Tasks that must obey a time limit although they are synchronous JavaScript (the engine, simulation)
 * or run code poolspec does not control (importing a spec module): they run in one worker thread per
 * command, reused from task to task; a task over its limit has the worker terminated (a new one
 * serves the next task) and comes back as `timedOut`.
 */
import { Worker } from 'node:worker_threads';

export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; timedOut: boolean; message: string };

const ENTRY = new URL('../runtime/worker-entry.js', import.meta.url);
const TASK_WORKER = new URL('./task-worker.ts', import.meta.url).href;

/** The most the task worker may take to start (loading the TypeScript toolchain). */
const STARTUP_LIMIT_MS = 60_000;

let worker: { w: Worker; ready: Promise<void> } | null = null;
let nextId = 1;

function start(): { w: Worker; ready: Promise<void> } {
  const w = new Worker(ENTRY, { workerData: { entry: TASK_WORKER } });
  w.unref(); // an idle task worker never keeps the process alive
  const ready = new Promise<void>((resolve, reject) => {
    const onMsg = (m: { ready?: boolean }) => { if (m.ready) { w.off('message', onMsg); resolve(); } };
    w.on('message', onMsg);
    w.once('error', reject);
  });
  ready.catch(() => undefined);
  return { w, ready };
}

/** Runs `task(...args)` in the task worker within `timeoutMs` (the worker's start-up counts too). */
export async function runTask<T>(task: string, args: unknown[], timeoutMs: number, onProgress?: (p: unknown) => void): Promise<TaskOutcome<T>> {
  worker ??= start();
  const { w, ready } = worker;
  const id = nextId++;
  let timer: NodeJS.Timeout | undefined;
  let cleanup = () => {};
  const outcome = new Promise<TaskOutcome<T>>((resolve) => {
    // The clock starts once the worker is up: its start-up is not the task's time (bounded apart).
    const expire = () => resolve({ ok: false, timedOut: true, message: `did not finish within ${timeoutMs / 1000} s` });
    timer = setTimeout(expire, STARTUP_LIMIT_MS + timeoutMs);
    ready.then(() => { clearTimeout(timer); timer = setTimeout(expire, timeoutMs); }, () => undefined);
    const onMsg = (m: { id?: number; ok: boolean; value?: T; message?: string; progress?: unknown }) => {
      if (m.id === id && m.progress !== undefined) onProgress?.(m.progress);
      else if (m.id === id) resolve(m.ok ? { ok: true, value: m.value as T } : { ok: false, timedOut: false, message: m.message ?? 'failed' });
    };
    const onError = (e: Error) => resolve({ ok: false, timedOut: false, message: e.message });
    const onExit = () => resolve({ ok: false, timedOut: false, message: 'the task worker exited' });
    w.on('message', onMsg);
    w.on('error', onError);
    w.on('exit', onExit);
    cleanup = () => { w.off('message', onMsg); w.off('error', onError); w.off('exit', onExit); };
    w.ref();
    ready.then(() => w.postMessage({ id, task, args }), onError);
  });
  const r = await outcome;
  clearTimeout(timer);
  cleanup();
  w.unref();
  if (!r.ok) {
    // A worker that timed out or failed is not reused.
    worker = null;
    await w.terminate();
  }
  return r;
}

/** Ends the task worker (when a command is done with it). */
export async function stopTasks(): Promise<void> {
  const w = worker?.w;
  worker = null;
  if (w) await w.terminate();
}
