/**
 * The answer: the sentence, the figures it was built from, the request id to quote, and where
 * the time went (total in the browser; edge and core from the edge's Server-Timing header).
 */
import { Card, Heading, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@aws-amplify/ui-react';
import type { Figure } from '@gatehouse/example-figures/schema';
import { latencyText } from '@gatehouse/web/panel';
import { forwardRef } from 'react';
import type { InferenceResult } from './figures-api';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export const AnswerPanel = forwardRef<HTMLDivElement, { result: InferenceResult }>(function AnswerPanel(
  { result },
  ref,
) {
  const { answer, meta } = result.body;
  return (
    <Card variation="outlined" ref={ref} tabIndex={-1} data-testid="answer" aria-labelledby="answer-heading">
      <Heading level={2} id="answer-heading">
        Answer for {meta.partner}, {meta.year} {meta.period}
      </Heading>
      <Text marginBlock="small" data-testid="answer-text">
        {answer}
      </Text>
      {meta.figures.length > 0 ? <FiguresTable figures={meta.figures} /> : <Text>No figures were used.</Text>}
      <dl className="answer-facts">
        <dt>Request id</dt>
        <dd data-testid="request-id">
          <code>{result.requestId ?? 'not provided by the API'}</code>
        </dd>
        <dt>Latency</dt>
        <dd data-testid="latency">{latencyText(result.timing)}</dd>
      </dl>
    </Card>
  );
});

function FiguresTable({ figures }: { figures: Figure[] }) {
  return (
    <Table caption="Figures used" size="small" variation="striped" highlightOnHover data-testid="figures">
      <TableHead>
        <TableRow>
          <TableCell as="th" scope="col">
            Figure
          </TableCell>
          <TableCell as="th" scope="col">
            Period
          </TableCell>
          <TableCell as="th" scope="col" className="numeric">
            Value
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {figures.map((figure) => (
          <TableRow key={`${figure.name}-${figure.period}`}>
            <TableCell as="th" scope="row">
              {figure.label}
            </TableCell>
            <TableCell>{figure.period}</TableCell>
            <TableCell className="numeric">{formatFigure(figure)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function formatFigure(figure: Figure): string {
  return figure.unit === 'USD' ? usd.format(figure.value) : `${figure.value}%`;
}
