/**
 * A failed request, in words: a heading, what to do, and the request id when the server gave one.
 * It takes focus when it appears (the caller moves it), so it is announced — once: a labelled
 * group, not a live region, since a live region that also takes focus is read out twice.
 */
import { Alert, Text } from '@aws-amplify/ui-react';
import { type ErrorDescription, fieldErrorText } from '@gatehouse/client';
import { forwardRef } from 'react';

export interface ErrorPanelProps {
  error: ErrorDescription;
  /** Field labels by path, so "year" reads "Year". */
  labels?: Readonly<Record<string, string>>;
}

export const ErrorPanel = forwardRef<HTMLDivElement, ErrorPanelProps>(function ErrorPanel({ error, labels }, ref) {
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
        <ul className="error-list" data-testid="api-error-fields">
          {error.fieldErrors.map((field) => (
            <li key={`${field.path}:${field.message}`}>{fieldErrorText(field, labels?.[field.path])}</li>
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
