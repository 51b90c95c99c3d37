import { describe, expect, it } from 'vitest';
import { errorFields } from '../src/logger';
import { emfFields } from '../src/metrics';
import { memoryLogger } from './helpers';

describe('Logger', () => {
  it('writes one JSON object per line with level, timestamp, service, request id and fields', () => {
    // Prepare
    const { logger, lines, raw } = memoryLogger('info');

    // Act
    logger.info('req-1', 'request', { status: 200 });

    // Assess
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('\n');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'gatehouse-edge',
      requestId: 'req-1',
      message: 'request',
      status: 200,
    });
    expect(Date.parse(String(lines[0]?.timestamp))).not.toBeNaN();
  });

  it('drops lines below its level', () => {
    // Prepare
    const { logger, lines } = memoryLogger('warn');

    // Act
    logger.debug('r', 'd');
    logger.info('r', 'i');
    logger.warn('r', 'w');
    logger.error('r', 'e');

    // Assess
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('redacts authorization and other credentials at any depth', () => {
    // Prepare
    const { logger, raw } = memoryLogger('debug');

    // Act
    logger.debug('r', 'headers', {
      headers: { Authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=1', accept: '*/*' },
    });

    // Assess
    expect(raw[0]).not.toContain('eyJhbGciOi');
    expect(raw[0]).not.toContain('sid=1');
    expect(raw[0]).toContain('[redacted]');
    expect(raw[0]).toContain('*/*');
  });

  it('turns errors into fields with their type, status and stack', () => {
    // Prepare
    const error = Object.assign(new Error('Function not found'), {
      errorType: 'ResourceNotFoundException',
      statusCode: 404,
    });

    // Act
    const fields = errorFields(error);

    // Assess
    expect(fields.error).toMatchObject({
      message: 'Function not found',
      errorType: 'ResourceNotFoundException',
      statusCode: 404,
    });
    expect(String((fields.error as { stack: string }).stack)).toContain('logger.test.ts');
  });
});

describe('emfFields', () => {
  it('declares Requests by Service and Outcome, and CoreLatency by Service', () => {
    // Act
    const fields = emfFields({
      service: 'gatehouse-edge',
      outcome: 'success',
      coreLatencyMs: 12.5,
      timestamp: 1795516802000,
    });

    // Assess
    expect(fields).toEqual({
      _aws: {
        Timestamp: 1795516802000,
        CloudWatchMetrics: [
          {
            Namespace: 'Gatehouse',
            Dimensions: [['Service', 'Outcome']],
            Metrics: [{ Name: 'Requests', Unit: 'Count' }],
          },
          {
            Namespace: 'Gatehouse',
            Dimensions: [['Service']],
            Metrics: [{ Name: 'CoreLatency', Unit: 'Milliseconds' }],
          },
        ],
      },
      Service: 'gatehouse-edge',
      Outcome: 'success',
      Requests: 1,
      CoreLatency: 12.5,
    });
  });

  it('leaves CoreLatency out when the core was not called', () => {
    // Act
    const fields = emfFields({ service: 's', outcome: 'unauthorized', coreLatencyMs: undefined, timestamp: 1 });

    // Assess
    expect(fields).not.toHaveProperty('CoreLatency');
    expect((fields._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics).toHaveLength(1);
  });
});
