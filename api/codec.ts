import { timingSafeEqual } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { payloadCodecsFromEnv, payloadFromJson, payloadToJson } from '../platform/payload-codec';
import { sendError } from './errors';

/** A payload as the codec-server protocol carries it: protobuf JSON, bytes in base64. */
const wirePayloads = z
  .object({
    payloads: z.array(
      z.object({
        metadata: z.record(z.string(), z.string()).optional(),
        data: z.string().optional(),
      }),
    ),
  })
  .strict();
export interface CodecServerOptions {
  codecs: PayloadCodec[];
  /** The bearer token ops' tools send (the Temporal UI's codec setting, `temporal --codec-auth`). */
  token: string;
  /** Origins allowed to call from a browser: the Temporal UI's. */
  corsOrigins: string[];
}

/** The codec server's settings from the environment; undefined (not mounted) without a token and keys. */
export function codecServerFromEnv(env: NodeJS.ProcessEnv = process.env): CodecServerOptions | undefined {
  const codecs = payloadCodecsFromEnv(env);
  if (!env.CROSSDOCK_CODEC_TOKEN || codecs.length === 0) return undefined;
  const origins = env.CROSSDOCK_CODEC_CORS_ORIGINS ?? 'http://localhost:8233,http://127.0.0.1:8233';
  return {
    codecs,
    token: env.CROSSDOCK_CODEC_TOKEN,
    corsOrigins: origins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  };
}

/**
 * The codec server (`POST /codec/decode`, `/codec/encode`) that lets the Temporal UI and CLI
 * show the encrypted payloads of a history in clear, for ops holding the token. Without a token
 * configured it is not mounted: nothing decodes histories over HTTP.
 */
export function codecRouter(options: CodecServerOptions): Router {
  const router = Router();
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    if (origin && options.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
  const expected = Buffer.from(`Bearer ${options.token}`);
  const authenticated: RequestHandler = (req, res, next) => {
    const presented = Buffer.from(req.get('authorization') ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
      return sendError(res, 401, 'unauthenticated', 'the codec needs "Authorization: Bearer <codec token>"');
    next();
  };
  const step =
    (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res, next) => {
      const body = wirePayloads.safeParse(req.body);
      if (!body.success)
        return sendError(res, 400, 'bad_request', 'expected {"payloads": [{metadata, data}]}');
      try {
        let payloads = body.data.payloads.map(payloadFromJson);
        const codecs = direction === 'encode' ? options.codecs : [...options.codecs].reverse();
        for (const codec of codecs) payloads = await codec[direction](payloads);
        res.json({ payloads: payloads.map(payloadToJson) });
      } catch (error) {
        next(error);
      }
    };
  router.use('/codec', cors);
  router.post('/codec/encode', authenticated, express.json({ limit: '4mb' }), step('encode'));
  router.post('/codec/decode', authenticated, express.json({ limit: '4mb' }), step('decode'));
  return router;
}
