/**
 * A stand-in for the local Lambda service's Invoke API: records every event the gateway posts and
 * answers with whatever the test scripted — a payload, a function error, a 404, or silence (to hit
 * the integration timeout) — for every function, or per function (an authorizer beside the edge).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpApiEventV2 } from '../../src/gateway';

export type StubAnswer =
  | { kind: 'payload'; payload: unknown; raw?: false }
  | { kind: 'raw'; body: string }
  | { kind: 'function-error'; errorType: string; errorMessage: string }
  | { kind: 'status'; status: number; body: unknown }
  | { kind: 'hang'; ms: number };

export interface InvocationRecord {
  functionName: string;
  /** An authorizer's invocation carries an `AuthorizerEventV2`; cast it where that is what was posted. */
  event: HttpApiEventV2;
}

export interface LambdaStub {
  endpoint: string;
  invocations: InvocationRecord[];
  /** The answer for every following invocation (default: `{statusCode:200, body:'ok'}`). */
  answerWith(answer: StubAnswer): void;
  /** The answer for the following invocations of one function, ahead of `answerWith`'s. */
  answerFor(functionName: string, answer: StubAnswer): void;
  /** The invocations of one function, in order. */
  invocationsOf(functionName: string): InvocationRecord[];
  close(): Promise<void>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaStub(): Promise<LambdaStub> {
  const invocations: InvocationRecord[] = [];
  let answer: StubAnswer = { kind: 'payload', payload: { statusCode: 200, body: 'ok' } };
  const answers = new Map<string, StubAnswer>();
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const match = req.method === 'POST' ? PATH.exec(req.url ?? '') : null;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!match?.[1]) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"unknown path"}');
        return;
      }
      const functionName = decodeURIComponent(match[1]);
      invocations.push({ functionName, event: JSON.parse(Buffer.concat(chunks).toString('utf8')) as HttpApiEventV2 });
      const current = answers.get(functionName) ?? answer;
      switch (current.kind) {
        case 'payload':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(current.payload));
          return;
        case 'raw':
          res.writeHead(200, { 'content-type': 'application/json' }).end(current.body);
          return;
        case 'function-error':
          res
            .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
            .end(JSON.stringify({ errorType: current.errorType, errorMessage: current.errorMessage, trace: [] }));
          return;
        case 'status':
          res.writeHead(current.status, { 'content-type': 'application/json' }).end(JSON.stringify(current.body));
          return;
        case 'hang': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"statusCode":200,"body":"late"}');
          }, current.ms);
          timers.add(timer);
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    answerWith: (next) => {
      answer = next;
    },
    answerFor: (functionName, next) => {
      answers.set(functionName, next);
    },
    invocationsOf: (functionName) => invocations.filter((i) => i.functionName === functionName),
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
