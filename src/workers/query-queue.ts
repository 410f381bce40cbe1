/**
 * After a filter change the page asks several questions at once: rows of four tables, the
 * summary, the I/O series. One worker answers them one after another, so their order decides
 * what the person waits for. A burst is gathered for a moment (the page's tables post their
 * questions from separate tasks, a few milliseconds apart); then the most urgent runs (the flows
 * table before the hosts table), and the queue yields again between answers — a newer filter's
 * questions overtake older, slower ones.
 */
export class QueryQueue {
  private readonly pending: Array<{ priority: number; seq: number; run: () => void }> = [];
  private scheduled = false;
  private seq = 0;
  /** Questions of a burst are still waiting: the next one runs without gathering again. */
  private inBurst = false;

  /** @param gatherMs how long the first question of a burst waits for the others. */
  constructor(private readonly gatherMs = 12) {}

  /** Answer `compute()` in priority order (lower first; equal priorities in arrival order). */
  ask<T>(priority: number, compute: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        priority, seq: this.seq++,
        run: () => {
          try { resolve(compute()); } catch (err) { reject(err); }
        },
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Idle until now: gather the burst. Busy: just let arrived questions in.
    setTimeout(() => this.runNext(), this.inBurst ? 0 : this.gatherMs);
  }

  private runNext(): void {
    this.scheduled = false;
    let best = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const a = this.pending[i]!, b = this.pending[best]!;
      if (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)) best = i;
    }
    const next = this.pending.splice(best, 1)[0];
    this.inBurst = this.pending.length > 0;
    if (this.inBurst) this.schedule();
    next?.run();
  }
}

/** What the page looks at first: the flows table, then ports, the summary, then the rest. */
export const QUERY_PRIORITY = { flows: 0, ports: 1, summary: 2, exposure: 3, series: 3, hosts: 4 } as const;
