/** The allow/deny form of the consent and "continue as" pages: a plain POST, no JavaScript. */
export function ConsentActions({ uid, allowLabel, denyLabel }: { uid: string; allowLabel: string; denyLabel: string }) {
  return (
    <form method="post" action={`/interaction/${encodeURIComponent(uid)}/consent`}>
      <div className="actions">
        <button className="primary" type="submit" name="decision" value="allow">
          {allowLabel}
        </button>
        <button className="secondary" type="submit" name="decision" value="deny">
          {denyLabel}
        </button>
      </div>
    </form>
  );
}
