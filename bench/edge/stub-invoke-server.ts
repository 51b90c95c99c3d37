/**
 * A stub of the Lambda Invoke API for the edge benchmark, run in its own process (so it does not
 * share an event loop with the client being measured): every POST gets Lambda's success answer
 * with a small JSON payload. Prints its port on stdout, then serves until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const payload = JSON.stringify({
  answer: 'Acme Corp had revenue of 1,200,000 USD in 2024 Q3.',
  meta: { partner: 'Acme Corp', year: 2024, period: 'Q3', figures: [] },
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': 'bench',
      'x-amz-executed-version': '$LATEST',
    });
    res.end(payload);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
