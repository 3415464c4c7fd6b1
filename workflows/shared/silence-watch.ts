import { condition, sleep } from '@temporalio/workflow';

/** The run's clock: in a workflow, Date is the SDK's deterministic time. */
const workflowTime = () => new Date().getTime();

/**
 * Notices a silence (no wake-up for `silenceMs`, counted from the last wake-up itself) with one
 * timer that outlives the wake-ups: a wake-up moves the deadline, not the timer. Waiting with
 * `condition(fn, timeout)` instead cancels a timer and starts another at each wake-up: two
 * history events and a billable action each time. A timer that fires before the deadline (it was
 * started before the last wake-up) is started again for the rest.
 */
export class SilenceWatch {
  private lastWakeUp = workflowTime();
  private timer: Promise<void> | undefined;
  private fired = false;

  constructor(
    private readonly silenceMs: number,
    private readonly summary: string,
  ) {}

  /** True once `wakeUp` holds; false once the silence lasted its length (counted again from then). */
  async wait(wakeUp: () => boolean): Promise<boolean> {
    for (;;) {
      if (!this.timer) {
        this.fired = false;
        const rest = Math.max(1, this.lastWakeUp + this.silenceMs - workflowTime());
        this.timer = sleep(rest, { summary: this.summary }).then(
          () => {
            this.timer = undefined;
            this.fired = true;
          },
          // Cancelled with the run: the run's own wait is cancelled with it, and a later wait
          // starts a timer of its own.
          () => {
            this.timer = undefined;
          },
        );
      }
      await condition(() => wakeUp() || this.fired);
      if (wakeUp()) {
        this.lastWakeUp = workflowTime();
        return true;
      }
      if (workflowTime() - this.lastWakeUp >= this.silenceMs) {
        this.lastWakeUp = workflowTime();
        return false;
      }
    }
  }
}
