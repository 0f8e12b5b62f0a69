/** A process's resident memory, sampled while something runs (Linux: /proc/<pid>/status). */

/** The resident set of `pid` in MiB; null where /proc is not there. */
export async function rssMiB(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs `work` while sampling `pid`'s RSS every `everyMs`; returns the work's result and the peak. */
export async function withPeakRss<T>(
  pid: number,
  work: () => Promise<T>,
  everyMs = 25,
): Promise<{ result: T; peakMiB: number | null }> {
  let peak: number | null = await rssMiB(pid);
  let running = true;
  const sampler = (async () => {
    while (running) {
      const now = await rssMiB(pid);
      if (now !== null) peak = Math.max(peak ?? 0, now);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    return { result: await work(), peakMiB: peak };
  } finally {
    running = false;
    await sampler;
  }
}

/** A chunked body of `size` bytes made on demand (one 1 MiB chunk reused), counting what was pulled. */
export function lazyBody(size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(1024 * 1024).fill(0x7b);
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (pulled >= size) return ctl.close();
      ctl.enqueue(chunk.slice());
      pulled += chunk.length;
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}
