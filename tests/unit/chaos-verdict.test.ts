import { notOnce } from '../../bench/chaos/verdict';

describe("the crash test's counting (bench/chaos/verdict.ts)", () => {
  it('names every expected document found twice or never, and nothing found once', () => {
    expect(notOnce(['order:a', 'order:a', 'order:b', 'order:x'], ['order:a', 'order:b', 'order:c'])).toEqual([
      'order:a×2',
      'order:c×0',
    ]);
    expect(notOnce(['e1', 'e2'], ['e1', 'e2'])).toEqual([]);
  });
});
