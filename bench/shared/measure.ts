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
