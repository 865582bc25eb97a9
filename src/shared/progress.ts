/** A progress bar on a terminal; silent when the stream is not a TTY (scripts, CI, `--json`). */
export interface Progress {
  /** Sets the absolute amount done. Cheap to call in a hot loop: redraws at most every 100 ms. */
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

export interface ProgressOptions {
  label: string;
  /** Total amount, or undefined when unknown (shows a counter). */
  total?: number;
  unit?: string;
  stream?: NodeJS.WriteStream;
  enabled?: boolean;
  now?: () => number;
}

export function createProgress({
  label,
  total,
  unit = '',
  stream = process.stderr,
  enabled = stream.isTTY === true,
  now = Date.now,
}: ProgressOptions): Progress {
  const started = now();
  let lastDraw = 0;
  let lastDone = 0;
  const draw = (done: number, note = '') => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = formatCount(done / seconds);
    const amount = total
      ? `${bar(done / total)} ${Math.min(100, (100 * done) / total).toFixed(0)}% ${formatCount(done)}/${formatCount(total)}`
      : formatCount(done);
    stream.write(`\r\x1b[2K${label} ${amount}${unit} ${rate}${unit}/s ${note}`);
  };
  return {
    update(done, note) {
      lastDone = done;
      if (!enabled) return;
      const time = now();
      if (time - lastDraw < 100) return;
      lastDraw = time;
      draw(done, note);
    },
    finish(note) {
      if (!enabled) return;
      draw(total ?? lastDone, note);
      stream.write('\n');
    },
  };
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** 1234567 → `1.23M`. */
export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return `${Math.round(value)}`;
}
