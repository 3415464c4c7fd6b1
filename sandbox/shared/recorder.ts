import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface RecordedCall {
  partner: string;
  method: string;
  path: string;
  status: number;
  at: string;
  body?: unknown;
}

/** Records every call an emulated partner receives, with the status it answered. */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];

  middleware(partner: string): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      res.on('finish', () => {
        this.calls.push({
          partner,
          method: req.method,
          path: req.originalUrl.split('?')[0]!,
          status: res.statusCode,
          at: new Date().toISOString(),
          body: req.body as unknown,
        });
      });
      next();
    };
  }

  list(partner?: string): RecordedCall[] {
    return partner ? this.calls.filter((call) => call.partner === partner) : [...this.calls];
  }

  clear(): void {
    this.calls.length = 0;
  }
}
