import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (2.0) event as API Gateway sends it for a webhook POST. */
export function httpApiEvent(options: {
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
  base64?: boolean;
}): APIGatewayProxyEventV2 {
  const body = options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body.toString();
  const method = options.method ?? 'POST';
  return {
    version: '2.0',
    routeKey: `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: `${method} ${options.path}`,
      stage: '$default',
      time: '21/Nov/2026:13:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: options.base64 ?? false,
  };
}
