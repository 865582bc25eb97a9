/** Runs `task` `runs` times and returns the median wall time in milliseconds. */
export async function medianMilliseconds(
  task: () => Promise<unknown> | unknown,
  runs = 3,
): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** Prints one benchmark figure as an aligned line (and returns it for JSON summaries). */
export function report(name: string, value: number, unit: string, note = ''): void {
  const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
  console.log(`${name.padEnd(48)} ${shown.padStart(12)} ${unit}${note ? `  (${note})` : ''}`);
}

/** Median of the values (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** CPU µs per item of one run (CPU, not wall: on a shared machine wall time measures neighbours). */
export function cpuMicros(count: number, body: () => void): number {
  const start = process.cpuUsage();
  body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}
