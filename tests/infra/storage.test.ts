import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ObjectStorage } from '../../platform/storage';
import { endpointsFromEnv } from '../support/hub';

/**
 * Guards against S3-compatible servers storing aws-chunked framing verbatim: a streamed upload must
 * read back byte for byte.
 */
describe('object storage round trip', () => {
  let storage: ObjectStorage;

  beforeAll(async () => {
    const endpoints = endpointsFromEnv();
    storage = new ObjectStorage({
      endpoint: endpoints.s3Endpoint,
      region: endpoints.s3Region,
      bucket: endpoints.s3Bucket,
      credentials: endpoints.s3Credentials,
    });
    await storage.ensureBucket();
  });
  afterAll(() => storage.close());

  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  it('stores a streamed upload byte for byte', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const chunks = Array.from({ length: Math.ceil(data.length / 65_536) }, (_, i) =>
      data.subarray(i * 65_536, (i + 1) * 65_536),
    );
    await storage.put('tests/stream.bin', Readable.from(chunks), 'application/octet-stream', data.length);
    const back = await storage.get('tests/stream.bin');
    expect(back.length).toBe(data.length);
    expect(sha(back)).toBe(sha(data));
  });

  it('stores a buffer upload byte for byte and reports existence', async () => {
    const data = Buffer.from('%PDF-1.4 tiny');
    await storage.put('tests/buffer.pdf', data, 'application/pdf', data.length);
    expect((await storage.get('tests/buffer.pdf')).equals(data)).toBe(true);
    expect(await storage.exists('tests/buffer.pdf')).toBe(true);
    expect(await storage.exists('tests/absent.pdf')).toBe(false);
  });
});
