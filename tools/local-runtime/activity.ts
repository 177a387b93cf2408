/**
 * Work in flight in the local runtime: task invocations, scheduled jobs, notifications. The clock moves
 * from one timer to the next only once the work the last one set off has finished, so that a 90-day move
 * runs each day's sweep and each timeout on the day it belongs to (a task's DynamoDB round trips take
 * real milliseconds, more than the virtual clock's settling turns).
 */
export class Activity {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  /** Runs `work`, counted as in flight until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) {
        const w = this.waiters;
        this.waiters = [];
        for (const r of w) r();
      }
    }
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Resolves once nothing is in flight across two settling rounds (`settle` lets promise chains run, so
   * an execution woken by the last task has invoked its next one before we look again).
   */
  async idle(settle: () => Promise<void>): Promise<void> {
    for (;;) {
      await settle();
      if (this.inFlight > 0) {
        await new Promise<void>((r) => this.waiters.push(r));
        continue;
      }
      await settle();
      if (this.inFlight === 0) return;
    }
  }
}
