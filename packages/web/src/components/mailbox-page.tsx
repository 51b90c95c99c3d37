/**
 * The local mailbox: every message Cognito would have emailed (sign-up and reset codes, attribute
 * verification codes, temporary passwords), newest first, read from the local identity service.
 * It exists only against the local stack, whose web config names the mailbox; it opens in its own
 * tab so the sign-up or reset form waiting for the code keeps its place.
 */
import { Alert, Button, Heading, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@aws-amplify/ui-react';
import { useCallback, useEffect, useState } from 'react';

export interface Mail {
  to: string;
  purpose: string;
  code: string;
  time: string;
}

export const MAILBOX_HASH = '#/mailbox';
/** A new message shows within this; polling stops after MAX_POLLS (ten minutes), and Refresh still reads. */
const POLL_MS = 3_000;
const MAX_POLLS = 200;

function isMailList(value: unknown): value is { messages: Mail[] } {
  const messages = (value as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) && messages.every((m) => typeof m?.code === 'string' && typeof m?.to === 'string');
}

export function MailboxPage({ mailboxUrl }: { mailboxUrl: string }) {
  const [messages, setMessages] = useState<Mail[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const response = await fetch(mailboxUrl, { cache: 'no-store' });
      const body: unknown = await response.json();
      if (!response.ok || !isMailList(body)) throw new Error(`the identity service answered ${response.status}`);
      setMessages(body.messages);
      setError(undefined);
    } catch (failure) {
      setError(
        `Could not read the mailbox at ${mailboxUrl}: ${(failure as Error).message}. Is the local stack running?`,
      );
    }
  }, [mailboxUrl]);

  useEffect(() => {
    void load();
    let polls = 0;
    const timer = setInterval(() => {
      polls += 1;
      if (polls >= MAX_POLLS) clearInterval(timer);
      void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section aria-labelledby="mailbox-heading" className="mailbox">
      <Heading level={2} id="mailbox-heading">
        Local mailbox
      </Heading>
      <Text>
        What Cognito would have emailed, newest first. Nothing here leaves this machine; on AWS these go to the address.
      </Text>
      <Button size="small" onClick={() => void load()} marginBlock="small">
        Refresh
      </Button>
      {error ? (
        <Alert variation="error" role="alert">
          {error}
        </Alert>
      ) : null}
      {messages && messages.length === 0 ? <Text data-testid="mailbox-empty">No messages yet.</Text> : null}
      {messages && messages.length > 0 ? (
        <Table caption="Messages" highlightOnHover data-testid="mailbox">
          <TableHead>
            <TableRow>
              <TableCell as="th">Time</TableCell>
              <TableCell as="th">To</TableCell>
              <TableCell as="th">Purpose</TableCell>
              <TableCell as="th">Code</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {messages.map((mail) => (
              <TableRow key={`${mail.time}-${mail.to}-${mail.code}`} data-testid="mail">
                <TableCell>{new Date(mail.time).toLocaleTimeString()}</TableCell>
                <TableCell>{mail.to}</TableCell>
                <TableCell>{mail.purpose}</TableCell>
                <TableCell className="numeric" data-testid="mail-code">
                  {mail.code}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}
