import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, redact, REDACTED } from '../../platform/logger';

/** Lines a logger with the hub's redaction writes. */
function capture(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', 'test', stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log redaction', () => {
  it('replaces credentials and personal data at any depth, whatever the case or separators', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        headers: { Authorization: 'Bearer sk_live_123', 'X-Api-Key': 'k' },
        order: {
          id: 'acme:1001',
          customer: { email: 'ada@example.org' },
          shipping_address: { line1: '12 St' },
        },
        guests: [{ guest_name: 'Ada', nights: 2 }],
        access_token: 'shpat_abc',
      },
      'something happened',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'something happened',
      headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED },
      order: { id: 'acme:1001', customer: REDACTED, shipping_address: REDACTED },
      guests: [{ guest_name: REDACTED, nights: 2 }],
      access_token: REDACTED,
    });
    expect(JSON.stringify(line)).not.toMatch(/sk_live_123|ada@example|12 St|shpat_abc/);
  });

  it('serializes an error with its message and stack, redacting the request it carries', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('Request failed with status code 502'), {
      config: { url: 'https://partner.example/v1', headers: { Authorization: 'Bearer secret-token' } },
    });
    logger.warn({ err: error }, 'partner call failed');
    const [line] = lines();
    expect(line!.err).toMatchObject({
      type: 'Error',
      message: 'Request failed with status code 502',
      config: { url: 'https://partner.example/v1', headers: { Authorization: REDACTED } },
    });
    expect(String((line!.err as { stack: string }).stack)).toContain('Request failed');
    expect(JSON.stringify(line)).not.toContain('secret-token');
  });

  it('cuts cycles instead of failing', () => {
    const looped: Record<string, unknown> = { id: 1 };
    looped.self = looped;
    expect(redact({ looped })).toEqual({ looped: { id: 1, self: '[…]' } });
  });
});
