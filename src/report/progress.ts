/**
 * The live progress line of `check` on a terminal: spec, configuration, backend, distinct states,
 * states per second, queue and elapsed time, rewritten in place. It is drawn only when the stream is a
 * TTY (never into --json output, pipes or logs), and erased when the check ends.
 */

export interface ProgressStats {
  distinctStates: number;
  statesGenerated?: number;
  /** States left to explore; null when unknown. */
  queue: number | null;
}

export interface ProgressLabel { spec: string; config: string; backend: string }

/** The stream the line goes to; process.stderr satisfies it. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const n = (x: number) => x.toLocaleString('en-US');

export function formatElapsed(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One line: `DwcasPool small tla · 1,573 distinct · 812 states/s · queue 96 · 0:04`. */
export function formatProgress(label: ProgressLabel, stats: ProgressStats | null, statesPerSecond: number | null, elapsedSeconds: number): string {
  return [
    `${label.spec} ${label.config} ${label.backend}`,
    // Before the checker's first report nothing is known (TLC's first comes a few seconds in).
    `${stats ? n(stats.distinctStates) : '–'} distinct`,
    `${statesPerSecond === null ? '–' : n(Math.round(statesPerSecond))} states/s`,
    `queue ${stats && stats.queue !== null ? n(stats.queue) : '–'}`,
    formatElapsed(elapsedSeconds),
  ].join(' · ');
}

const CLEAR = '\r\x1b[2K';

export class ProgressLine {
  private label: ProgressLabel | null = null;
  private stats: ProgressStats | null = null;
  private rate: number | null = null;
  private started = 0;
  private last: { t: number; distinct: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: ProgressStream,
    readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Shown on a terminal only, and never with --json. */
  static for(stream: ProgressStream, opts: { json?: boolean } = {}): ProgressLine {
    return new ProgressLine(stream, stream.isTTY === true && !opts.json);
  }

  start(label: ProgressLabel): void {
    if (!this.enabled) return;
    this.label = label;
    this.stats = null;
    this.rate = null;
    this.started = this.now();
    this.last = { t: this.started, distinct: 0 };
    this.draw();
    // Elapsed time keeps moving between TLC's reports (TLC 2.18 reports about once a minute).
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
  }

  update(stats: ProgressStats): void {
    if (!this.enabled || !this.label) return;
    const t = this.now();
    if (this.last && t > this.last.t) this.rate = ((stats.distinctStates - this.last.distinct) * 1000) / (t - this.last.t);
    this.last = { t, distinct: stats.distinctStates };
    this.stats = stats;
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.enabled || !this.label) return;
    this.label = null;
    this.stream.write(CLEAR);
  }

  private draw(): void {
    if (!this.label) return;
    const text = formatProgress(this.label, this.stats, this.rate, (this.now() - this.started) / 1000);
    const width = this.stream.columns && this.stream.columns > 10 ? this.stream.columns - 1 : text.length;
    this.stream.write(`${CLEAR}${text.slice(0, width)}`);
  }
}
