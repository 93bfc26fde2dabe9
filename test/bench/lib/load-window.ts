// One window of load on one side: autocannon against its process, with the process's CPU time and
// peak resident memory over exactly that window (read from /proc, sampled every 250 ms).
import { type CannonPlan, type CannonResult, runCannon } from './cannon.js';
import type { SideProcess } from './side-process.js';

export interface LoadWindow {
  result: CannonResult;
  /** CPU (user + system) the side's process spent during the window, in ms. */
  cpuNodeMs: number;
  peakRssBytes: number;
}

export async function loadWindow(proc: SideProcess, plan: CannonPlan, onTick?: (ok: number, seconds: number) => void): Promise<LoadWindow> {
  const cpuBefore = proc.cpuMs();
  let peakRssBytes = proc.residentBytes();
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, proc.residentBytes());
  }, 250);
  try {
    const result = await runCannon(plan, onTick);
    return { result, cpuNodeMs: proc.cpuMs() - cpuBefore, peakRssBytes };
  } finally {
    clearInterval(sampler);
  }
}
