/**
 * A failed request, in words: a heading, what to do, and the request id when the server gave one.
 * It takes focus when it appears (the workspace moves it), so it is announced — once: a labelled
 * group, not a live region, since a live region that also takes focus is read out twice.
 */
import { Alert, Text } from '@aws-amplify/ui-react';
import { forwardRef } from 'react';
import type { ErrorDescription } from '../api/error-message';

export const ErrorPanel = forwardRef<HTMLDivElement, { error: ErrorDescription }>(function ErrorPanel({ error }, ref) {
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      variation="error"
      heading={error.title}
      role="group"
      aria-label={error.title}
      data-testid="api-error"
    >
      <Text data-testid="api-error-message">{error.message}</Text>
      {error.fieldErrors.length > 0 ? (
        <ul className="error-list">
          {error.fieldErrors.map(({ path, message }) => (
            <li key={`${path}:${message}`}>{path ? `${path}: ${message}` : message}</li>
          ))}
        </ul>
      ) : null}
      {error.requestId ? (
        <Text fontSize="small" data-testid="api-error-request-id">
          Request id: <code>{error.requestId}</code>
        </Text>
      ) : null}
    </Alert>
  );
});
