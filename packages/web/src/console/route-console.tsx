/**
 * The route console: pick any route of the project, fill a form built from its schema (prefilled
 * with the route's example) or edit the raw JSON, send it with the signed-in user's token, and see
 * what came back — status, body, request id, and the edge and core times from `Server-Timing` — so
 * a project with no UI of its own can be tried in a browser.
 */
import {
  Alert,
  Badge,
  Button,
  Flex,
  Heading,
  Loader,
  SelectField,
  SwitchField,
  Text,
  TextAreaField,
  TextField,
} from '@aws-amplify/ui-react';
import {
  AbortedError,
  type CallTiming,
  createGatehouseClient,
  describeApiError,
  type ErrorDescription,
  fieldErrorText,
  type GatehouseClientOptions,
  HttpError,
  ProblemError,
  SessionEndedError,
} from '@gatehouse/client';
import type { FieldError, JobView, WebConfig } from '@gatehouse/contract';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { latencyText } from '../components/latency';
import { type BundledRoutes, type ConsoleRoute, consoleRoutes } from './console-routes';
import { type FormField, type FormValues, formFields, inputFromValues, valuesFromInput } from './schema-form';

export interface RouteConsoleProps {
  webConfig: WebConfig;
  /** The project's routes as the build bundled them (descriptions, input schemas). */
  bundledRoutes: BundledRoutes | undefined;
  clientOptions: GatehouseClientOptions;
  onSessionEnded: () => void;
}

/** What came back, whatever it was: a status and body, or a failure that never got one. */
type Outcome =
  | {
      kind: 'answered';
      status: number;
      body: unknown;
      requestId: string | undefined;
      timing: CallTiming | undefined;
      fieldErrors: readonly FieldError[];
    }
  | { kind: 'failed'; error: ErrorDescription };

export function RouteConsole({ webConfig, bundledRoutes, clientOptions, onSessionEnded }: RouteConsoleProps) {
  const routes = useMemo(() => consoleRoutes(webConfig, bundledRoutes), [webConfig, bundledRoutes]);
  const client = useMemo(() => createGatehouseClient(clientOptions), [clientOptions]);
  const [routeKey, setRouteKey] = useState(routes[0]?.key ?? '');
  const route = routes.find((r) => r.key === routeKey);

  if (!route) {
    return (
      <Alert variation="info" heading="No routes">
        The project config names no routes, so there is nothing to call.
      </Alert>
    );
  }
  return (
    <section aria-labelledby="console-heading" className="console">
      <Heading level={2} id="console-heading">
        Route console
      </Heading>
      <SelectField label="Route" value={routeKey} onChange={(event) => setRouteKey(event.target.value)}>
        {routes.map((r) => (
          <option key={r.key} value={r.key}>
            {r.key}
          </option>
        ))}
      </SelectField>
      {/* A new route is a new form: its own fields, example and outcome. */}
      <RouteRequest key={route.key} route={route} client={client} onSessionEnded={onSessionEnded} />
    </section>
  );
}

function RouteRequest({
  route,
  client,
  onSessionEnded,
}: {
  route: ConsoleRoute;
  client: ReturnType<typeof createGatehouseClient>;
  onSessionEnded: () => void;
}) {
  const fields = useMemo(() => formFields(route.inputSchema), [route.inputSchema]);
  const [raw, setRaw] = useState(!fields);
  const [values, setValues] = useState<FormValues>(() => valuesFromInput(fields ?? [], route.example));
  const [text, setText] = useState(() => (route.example === undefined ? '{}' : JSON.stringify(route.example, null, 2)));
  const [pathValues, setPathValues] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [job, setJob] = useState<JobView>();
  const running$ = useRef<AbortController | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => () => running$.current?.abort(), []);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const switchMode = (toRaw: boolean) => {
    // Carry what was typed across, so switching never loses an edit.
    if (toRaw && fields) setText(JSON.stringify(inputFromValues(fields, values), null, 2));
    if (!toRaw && fields) {
      try {
        setValues(valuesFromInput(fields, JSON.parse(text)));
      } catch {
        // Text that is not JSON keeps the form as it was.
      }
    }
    setRaw(toRaw);
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    running$.current?.abort();
    const controller = new AbortController();
    running$.current = controller;
    setRunning(true);
    setOutcome(undefined);
    setJob(undefined);
    const input = raw ? undefined : inputFromValues(fields ?? [], values);
    const bodyText = raw ? text : JSON.stringify(input);
    const query = route.hasBody ? {} : queryFrom(raw ? text : undefined, input);
    const request = {
      signal: controller.signal,
      pathParameters: pathValues,
      query,
      ...(route.hasBody ? { rawBody: bodyText } : {}),
    };
    try {
      if (route.job) {
        const started = performance.now();
        const handle = await client.submit(route.key, undefined as never, request);
        const body = await handle.result({ signal: controller.signal, onUpdate: setJob });
        setOutcome({
          kind: 'answered',
          status: 200,
          body,
          requestId: undefined,
          timing: { totalMs: performance.now() - started },
          fieldErrors: [],
        });
        return;
      }
      const result = await client.call(route.key, undefined as never, request);
      setOutcome({ kind: 'answered', ...result, fieldErrors: [] });
    } catch (error) {
      if (error instanceof AbortedError || controller.signal.aborted) return;
      if (error instanceof SessionEndedError) return onSessionEnded();
      if (error instanceof HttpError) {
        setOutcome({
          kind: 'answered',
          status: error.status,
          body: error.body,
          requestId: error.requestId,
          timing: { totalMs: Number.NaN, edgeMs: error.serverTiming.edge, coreMs: error.serverTiming.core },
          fieldErrors: error instanceof ProblemError ? error.errors : [],
        });
      } else setOutcome({ kind: 'failed', error: describeApiError(error) });
    } finally {
      if (running$.current === controller) {
        running$.current = null;
        setRunning(false);
      }
    }
  };

  const fieldErrors = outcome?.kind === 'answered' ? outcome.fieldErrors : [];
  const errorOf = (name: string) => fieldErrors.find((e) => e.path === name || e.path.startsWith(`${name}.`));

  return (
    <form onSubmit={send} noValidate aria-label={`Request to ${route.key}`} className="console-request">
      <Flex direction="column" gap="medium">
        {route.description ? <Text data-testid="console-description">{route.description}</Text> : null}
        {route.parameters.map((name) => (
          <TextField
            key={name}
            label={`{${name}}`}
            descriptiveText="Path parameter"
            value={pathValues[name] ?? ''}
            onChange={(e) => setPathValues({ ...pathValues, [name]: e.target.value })}
          />
        ))}
        {fields ? (
          <SwitchField label="Raw JSON" isChecked={raw} onChange={(e) => switchMode(e.target.checked)} />
        ) : null}
        {raw || !fields ? (
          <TextAreaField
            label={route.hasBody ? 'Body (JSON)' : 'Query (JSON object)'}
            rows={8}
            resize="vertical"
            className="console-json"
            value={text}
            onChange={(e) => setText(e.target.value)}
            hasError={fieldErrors.length > 0}
            errorMessage={fieldErrors.map((e) => fieldErrorText(e)).join(' ')}
          />
        ) : (
          fields.map((field) => (
            <SchemaField
              key={field.name}
              field={field}
              value={values[field.name] ?? ''}
              onChange={(value) => setValues({ ...values, [field.name]: value })}
              error={errorOf(field.name)}
            />
          ))
        )}
        <Flex alignItems="center" gap="small">
          <Button type="submit" variation="primary" isDisabled={running}>
            {running ? 'Sending…' : 'Send'}
          </Button>
          {running ? <Loader size="small" ariaLabel="Waiting for the answer" /> : null}
        </Flex>
        {route.job && job ? <JobProgress job={job} running={running} /> : null}
        {outcome ? <OutcomeView ref={outcomeRef} outcome={outcome} /> : null}
      </Flex>
    </form>
  );
}

/** A job's progress: queued, running for how long, then how it ended. */
function JobProgress({ job, running }: { job: JobView; running: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);
  const since = (iso: string | undefined, until = now) =>
    iso ? `${Math.max(0, Math.round((until - Date.parse(iso)) / 1000))} s` : '';
  const text =
    job.status === 'queued'
      ? `Queued for ${since(job.submittedAt)}`
      : job.status === 'running'
        ? `Running for ${since(job.startedAt)}`
        : `${job.status === 'succeeded' ? 'Done' : 'Failed'} after ${since(job.startedAt ?? job.submittedAt, Date.parse(job.finishedAt ?? ''))}`;
  return (
    <Text fontSize="small" data-testid="console-job" data-status={job.status} role="status">
      Job <code>{job.jobId}</code>: {text}
    </Text>
  );
}

function SchemaField({
  field,
  value,
  onChange,
  error,
}: {
  field: FormField;
  value: string;
  onChange: (value: string) => void;
  error: FieldError | undefined;
}) {
  const label = field.required ? field.name : `${field.name} (optional)`;
  const common = {
    label,
    name: field.name,
    value,
    hasError: error !== undefined,
    errorMessage: error ? fieldErrorText(error) : undefined,
    descriptiveText: field.hint,
  };
  if (field.kind === 'choice' || field.kind === 'boolean') {
    const options = field.kind === 'boolean' ? ['true', 'false'] : (field.options ?? []);
    return (
      <SelectField {...common} placeholder="—" onChange={(e) => onChange(e.target.value)}>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </SelectField>
    );
  }
  if (field.kind === 'long-text') {
    return <TextAreaField {...common} rows={3} resize="vertical" onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <TextField
      {...common}
      inputMode={field.kind === 'text' ? 'text' : 'decimal'}
      autoComplete="off"
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

const OutcomeView = function OutcomeView({ outcome, ref }: { outcome: Outcome; ref: React.Ref<HTMLDivElement> }) {
  if (outcome.kind === 'failed') {
    return (
      <Alert ref={ref} tabIndex={-1} variation="error" heading={outcome.error.title} data-testid="console-outcome">
        {outcome.error.message}
      </Alert>
    );
  }
  const ok = outcome.status >= 200 && outcome.status < 300;
  const timing = outcome.timing ? timingText(outcome.timing) : '';
  return (
    <section ref={ref} tabIndex={-1} className="console-outcome" data-testid="console-outcome" aria-label="Response">
      <Flex alignItems="center" gap="small" wrap="wrap">
        <Badge variation={ok ? 'success' : 'error'} data-testid="console-status">
          {outcome.status}
        </Badge>
        <Text fontSize="small" data-testid="console-request-id">
          Request id: <code>{outcome.requestId ?? 'none'}</code>
        </Text>
        {timing ? (
          <Text fontSize="small" data-testid="console-timing">
            {timing}
          </Text>
        ) : null}
      </Flex>
      {outcome.fieldErrors.length > 0 ? (
        <ul className="error-list" data-testid="console-field-errors">
          {outcome.fieldErrors.map((e) => (
            <li key={`${e.path}:${e.message}`}>{fieldErrorText(e)}</li>
          ))}
        </ul>
      ) : null}
      <pre className="console-body" data-testid="console-body">
        {outcome.body === undefined
          ? '(empty body)'
          : typeof outcome.body === 'string'
            ? outcome.body
            : JSON.stringify(outcome.body, null, 2)}
      </pre>
    </section>
  );
};

/** An error answer has no browser total (the client threw before measuring it); the rest reads as for a success. */
function timingText(timing: CallTiming): string {
  if (Number.isNaN(timing.totalMs)) {
    return latencyText({ ...timing, totalMs: 0 })
      .split(' · ')
      .slice(1)
      .join(' · ');
  }
  return latencyText(timing);
}

function queryFrom(text: string | undefined, input: Record<string, unknown> | undefined): Record<string, string> {
  let source: unknown = input;
  if (text !== undefined) {
    try {
      source = JSON.parse(text);
    } catch {
      source = {};
    }
  }
  if (typeof source !== 'object' || source === null) return {};
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
