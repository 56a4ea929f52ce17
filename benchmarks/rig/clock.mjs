// One clock for every process of the rig: CLOCK_MONOTONIC in microseconds.
// process.hrtime.bigint() is CLOCK_MONOTONIC on Linux, the same clock as the JVM's System.nanoTime()
// (and so as the GC log's `timenanos` decorator), so a stamp taken in the mock can be compared with
// a receive time taken in the generator. performance.now() runs on the same clock from a
// per-process origin; reading it is much cheaper than a BigInt, so the offset is taken once.
import { performance } from "node:perf_hooks";

const originUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

/** Microseconds on CLOCK_MONOTONIC (a float; sub-microsecond digits are noise). */
export function nowUs() {
  return originUs + performance.now() * 1000;
}
