/**
 * Progress for long work: a cli-progress bar on a TTY, plain periodic lines
 * otherwise (logs, CI). Written to stderr so --json output stays clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Advance by `by` units; `info` replaces the status text (e.g. a loss). */
  tick(by?: number, info?: string): void;
  /** A line of its own (e.g. periodic test metrics), printed above the bar. */
  log(line: string): void;
  stop(): void;
}

export function createProgress(label: string, total: number, opts: { quiet?: boolean; intervalMs?: number } = {}): Progress {
  if (opts.quiet) return { tick() {}, log() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      // forceRedraw: the bar is drawn again after a logged line even if its text is unchanged.
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {info}`, stream: process.stderr, hideCursor: true, forceRedraw: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return {
      tick(by = 1, info) {
        bar.increment(by, info === undefined ? undefined : { info });
      },
      log(line) {
        process.stderr.write(`\r\x1b[2K${line}\n`);
        bar.render();
      },
      stop() {
        bar.stop();
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  const start = Date.now();
  let done = 0;
  let lastPrint = start;
  let lastInfo = '';
  let printed = -1;
  const print = () => {
    printed = done;
    const pct = total > 0 ? ((100 * done) / total).toFixed(0) : '100';
    process.stderr.write(`${label}: ${done}/${total} (${pct}%) ${((Date.now() - start) / 1000).toFixed(1)}s ${lastInfo}\n`);
  };
  return {
    tick(by = 1, info) {
      done += by;
      if (info !== undefined) lastInfo = info;
      const now = Date.now();
      if (now - lastPrint >= interval) {
        lastPrint = now;
        print();
      }
    },
    log(line) {
      process.stderr.write(`${line}\n`);
    },
    stop() {
      if (printed !== done) print();
    },
  };
}
