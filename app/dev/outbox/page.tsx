import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getEnv } from '@/lib/config/env';
import { listOutbox } from '@/lib/infra/mail/mailer';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Dev outbox', robots: { index: false } };

/**
 * Development only: the mail written to the outbox when SMTP_URL is unset (codes, notices).
 * Not translated on purpose: a developer tool, never shown to users; 404 in production.
 */
export default async function DevOutboxPage() {
  if (getEnv().nodeEnv === 'production') notFound();
  const messages = await listOutbox(50);
  return (
    <main className="card outbox">
      <h1>Dev outbox</h1>
      <p className="muted">Mail is written here because SMTP_URL is not set. Newest first; the last 50.</p>
      {messages.length === 0 ? <p>No mail yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} data-testid="outbox-message" className="outbox-message">
          <p>
            <strong>{m.subject}</strong>
            <br />
            to <code data-testid="outbox-to">{m.to}</code> · <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toISOString()}</time>
          </p>
          <pre className="outbox-text" data-testid="outbox-text">
            {m.text}
          </pre>
        </article>
      ))}
    </main>
  );
}
