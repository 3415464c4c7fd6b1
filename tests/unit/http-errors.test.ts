import { ApplicationFailure } from '@temporalio/common';
import axios from 'axios';
import { createServer, type Server } from 'node:http';
import { PartnerHttpClient } from '../../connectors/http/client';
import {
  PARTNER_RATE_LIMITED,
  PARTNER_REJECTED,
  PARTNER_TIMEOUT,
  PARTNER_UNAVAILABLE,
  retryAfterMs,
} from '../../connectors/http/errors';

/** Classification of real HTTP responses from a local server. */
describe('partner error classification', () => {
  let server: Server;
  let client: PartnerHttpClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = Number(req.url!.slice(1));
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1000);
      if (status === 429) res.setHeader('Retry-After', '7');
      if (status === 301) res.setHeader('Location', 'https://moved.example.com/v2/');
      res
        .writeHead(status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { message: `status ${status}` } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    client = new PartnerHttpClient({
      partner: 'test',
      baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      timeoutMs: 200,
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function failureOf(path: string): Promise<ApplicationFailure> {
    const error = await client.get(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  }

  it('makes 4xx non-retryable with the partner message', async () => {
    const failure = await failureOf('/422');
    expect(failure).toMatchObject({ type: PARTNER_REJECTED, nonRetryable: true });
    expect(failure.message).toContain('status 422');
  });

  it('does not follow a redirect: it fails for good, naming where the partner moved', async () => {
    const failure = await failureOf('/301');
    expect(failure).toMatchObject({ type: PARTNER_REJECTED, nonRetryable: true });
    expect(failure.message).toContain('redirect (301) to https://moved.example.com/v2/');
  });

  it('retries 429 after the partner Retry-After', async () => {
    const failure = await failureOf('/429');
    expect(failure).toMatchObject({ type: PARTNER_RATE_LIMITED, nonRetryable: false, nextRetryDelay: 7000 });
  });

  it('retries 5xx and timeouts', async () => {
    expect(await failureOf('/503')).toMatchObject({ type: PARTNER_UNAVAILABLE, nonRetryable: false });
    expect(await failureOf('/slow')).toMatchObject({ type: PARTNER_TIMEOUT, nonRetryable: false });
  });

  it('parses Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(axios.isAxiosError(new Error('x'))).toBe(false);
  });
});
