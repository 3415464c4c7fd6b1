import fc from 'fast-check';
import { inMessages } from '../../domain/channels/ranges';

describe('a complete set in messages of bounded size (domain/channels/ranges.ts)', () => {
  const typeOf = (range: string) => range.split(' ')[0]!;

  it('keeps every range once, in order, never splits a room type, and stays within the limit when it can', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 30 })), {
          maxLength: 10,
        }),
        fc.integer({ min: 1, max: 60 }),
        (types, limit) => {
          const ranges = types.flatMap(([type, count], i) =>
            Array.from({ length: count }, (_, n) => `t${type}-${i} ${n}`),
          );
          const messages = inMessages(ranges, typeOf, limit);
          expect(messages.flat()).toEqual(ranges);
          const typesIn = messages.map((m) => new Set(m.map(typeOf)));
          for (let i = 0; i < typesIn.length; i++)
            for (let j = i + 1; j < typesIn.length; j++)
              for (const type of typesIn[i]!) expect(typesIn[j]!.has(type)).toBe(false);
          for (const message of messages)
            if (message.length > limit) expect(new Set(message.map(typeOf)).size).toBe(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sends what fits in one message as one, and a year of 50 room types in several', () => {
    const small = ['a 1', 'a 2', 'b 1'];
    expect(inMessages(small, typeOf, 5_000)).toEqual([small]);
    const year = Array.from({ length: 50 * 365 }, (_, i) => `t${Math.floor(i / 365)} ${i % 365}`);
    const messages = inMessages(year, typeOf, 5_000);
    expect(messages).toHaveLength(4);
    expect(messages.map((m) => m.length)).toEqual([13 * 365, 13 * 365, 13 * 365, 11 * 365]);
  });
});
