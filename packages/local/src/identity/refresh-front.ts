/**
 * A thin HTTP front before `cognito-local`. It answers `GetTokensFromRefreshToken` — the call
 * Amplify ≥ 6.15 refreshes with, which the emulator lacks — through `InitiateAuth
 * REFRESH_TOKEN_AUTH`, and forwards everything else untouched (the emulator's permissive CORS
 * included), so Amplify's real refresh path works locally.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AuthenticationResult, CognitoApiError, callCognito } from './cognito-api';
import { TOKEN_VALIDITY_SECONDS } from './seed';

const REFRESH_TARGET = 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken';
const MAX_BODY_BYTES = 64 * 1024;
const CORS = { 'access-control-allow-origin': '*' };

export function createRefreshFront(upstream: string): Server {
  const target = new URL(upstream);
  return createServer((req, res) => {
    if (req.method === 'POST' && req.headers['x-amz-target'] === REFRESH_TARGET) {
      void answerRefresh(upstream, req, res);
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502, CORS);
      res.end();
    });
    req.pipe(forward);
  });
}

async function answerRefresh(upstream: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { ...CORS, 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  try {
    const input = JSON.parse(await readBody(req)) as { ClientId?: string; RefreshToken?: string };
    const answer = await callCognito<{ AuthenticationResult?: AuthenticationResult }>(upstream, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: input.ClientId,
      AuthParameters: { REFRESH_TOKEN: input.RefreshToken },
    });
    // Without refresh-token rotation AWS returns no new refresh token; the client keeps its own.
    const { AccessToken, IdToken } = answer.AuthenticationResult ?? {};
    reply(200, {
      AuthenticationResult: { AccessToken, IdToken, ExpiresIn: TOKEN_VALIDITY_SECONDS, TokenType: 'Bearer' },
    });
  } catch (error) {
    if (error instanceof CognitoApiError) reply(error.status, { __type: error.type, message: error.detail });
    else
      reply(400, {
        __type: 'InvalidParameterException',
        message: 'Request body must be JSON with ClientId and RefreshToken',
      });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MAX_BODY_BYTES) throw new Error('body too large');
  }
  return body;
}
