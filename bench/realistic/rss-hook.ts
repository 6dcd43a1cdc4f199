/**
 * Preloaded (`node -r`) into each process the benchmark times: on exit it
 * writes the process's peak RSS and CPU time to the file named by
 * `IRSA_BENCH_USAGE`, which a parent cannot read after the child is gone.
 */
import * as fs from 'node:fs';

const target = process.env['IRSA_BENCH_USAGE'];
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKB: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
