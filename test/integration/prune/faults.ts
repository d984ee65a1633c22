/**
 * A pass-through proxy in front of moto that fails chosen AWS operations with AccessDenied-like
 * errors (not retried), so a test can make one read fail while every other call reaches moto.
 */
import { createServer, request } from 'node:http';

export interface FaultProxy {
  readonly endpoint: string;
  /** Operation names to fail, e.g. `DescribeInstances`, `DescribeTargetHealth`, `ListContainerInstances`. */
  readonly fail: Set<string>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const fail = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const jsonTarget = req.headers['x-amz-target'];
      const operation =
        typeof jsonTarget === 'string'
          ? jsonTarget.split('.').pop()
          : (new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined);
      if (operation !== undefined && fail.has(operation)) {
        if (typeof jsonTarget === 'string') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'AccessDeniedException', message: `injected: ${operation}` }));
        } else if (new URLSearchParams(body.toString('utf8')).get('Version') === '2016-11-15') {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>injected: ${operation}</Message></Error></Errors><RequestID>injected</RequestID></Response>`,
          );
        } else {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>injected: ${operation}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
          );
        }
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    fail,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
