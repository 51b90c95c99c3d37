/** The questions asked since sign-in (kept in memory only), newest first, each one re-runnable. */
import { Badge, Button, Heading, Text } from '@aws-amplify/ui-react';
import type { InferenceRequest } from '@gatehouse/example-figures/schema';
import type { RecentQuestion } from './use-inference';

export interface RecentQuestionsProps {
  items: RecentQuestion[];
  onRerun: (request: InferenceRequest) => void;
  disabled: boolean;
}

export function RecentQuestions({ items, onRerun, disabled }: RecentQuestionsProps) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="recent-heading" className="recent">
      <Heading level={2} id="recent-heading">
        Recent questions
      </Heading>
      <ol className="recent-list" data-testid="recent">
        {items.map(({ id, request, outcome }) => (
          <li key={id} className="recent-item">
            <div>
              <Text as="span" fontWeight="bold">
                {request.partner}, {request.year} {request.period}
              </Text>{' '}
              <Badge size="small" variation={outcome === 'answered' ? 'success' : 'error'}>
                {outcome}
              </Badge>
              <Text>{request.question}</Text>
            </div>
            <Button
              size="small"
              onClick={() => onRerun(request)}
              isDisabled={disabled}
              aria-label={`Ask again: ${request.question} (${request.partner}, ${request.year} ${request.period})`}
            >
              Ask again
            </Button>
          </li>
        ))}
      </ol>
    </section>
  );
}
