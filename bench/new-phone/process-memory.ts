/**
 * The server's resident memory, read from Linux /proc: the process started (tsx's launcher) and every descendant
 * (the node process that runs the server), as load/run-live.ts measures it.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** Resident memory of a process and all its descendants, in bytes; 0 once it has ended. */
export function treeRss(pid: number): number {
  let kb = 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      for (const child of children ? children.split(/\s+/) : []) kb += treeRss(Number(child)) / 1024
    }
  } catch {
    // The process ended meanwhile.
  }
  return kb * 1024
}

/**
 * Samples `read()` every `everyMs` from now on; `stop()` returns the highest sample minus the first one (the level
 * before whatever is being measured started).
 */
export function peakGrowth(read: () => number, everyMs = 25): { stop(): number } {
  const baseline = read()
  let peak = baseline
  const timer = setInterval(() => {
    peak = Math.max(peak, read())
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, read())
      return peak - baseline
    },
  }
}
