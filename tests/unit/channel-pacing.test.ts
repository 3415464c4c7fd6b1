import fc from 'fast-check';
import { intervalFor, spend, waitMs, type Bucket } from '../../domain/channels/pacing';

/** Sends one request per wanted time, each as soon as the bucket lets it; the times it went. */
function simulate(perMinute: number, burst: number, wanted: number[]): number[] {
  const pace = { burst, intervalMs: intervalFor(perMinute, burst) };
  let bucket: Bucket = { tokens: 1, at: 0 };
  let clock = 0;
  const sent: number[] = [];
  for (const at of wanted) {
    clock = Math.max(clock, at);
    clock += waitMs(bucket, pace, clock);
    bucket = spend(bucket, pace, clock, 1);
    sent.push(clock);
  }
  return sent;
}

describe('channel pacing (domain/channels/pacing.ts)', () => {
  it('never sends more than the per-minute limit in any 60 s, whatever the burst', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 300 }),
        (perMinute, burst, times) => {
          const sent = simulate(
            perMinute,
            Math.min(burst, perMinute),
            [...times].sort((a, b) => a - b),
          );
          for (let i = 0; i < sent.length; i++) {
            const inWindow = sent.filter((t) => t >= sent[i]! && t < sent[i]! + 60_000).length;
            expect(inWindow).toBeLessThanOrEqual(perMinute);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sends a change after a quiet spell at once, and up to the burst back to back', () => {
    // 20 a minute, a burst of 3: three changes at once go out together; a fourth waits its slot.
    expect(simulate(20, 3, [100_000, 100_000, 100_000])).toEqual([100_000, 100_000, 100_000]);
    const fourth = simulate(20, 3, [100_000, 100_000, 100_000, 100_000]).at(-1)!;
    expect(fourth - 100_000).toBe(intervalFor(20, 3));
    // Evenly spaced (burst 1) is one slot of 3 s after another, as the channel's limit says.
    expect(simulate(20, 1, [0, 0, 0])).toEqual([0, 3_000, 6_000]);
  });

  it('takes back a push of several messages from the slots that follow', () => {
    const pace = { burst: 2, intervalMs: 1_000 };
    const after = spend({ tokens: 2, at: 0 }, pace, 0, 3);
    expect(after.tokens).toBe(-1);
    expect(waitMs(after, pace, 0)).toBe(2_000);
  });
});
