/** The 6-digit code input of the email-code pages: visible label, one-time-code autofill, numeric keypad. */
export function OneTimeCodeField({ label, errorId }: { label: string; errorId?: string }) {
  return (
    <div className="field">
      <label htmlFor="field-code">{label}</label>
      <input
        id="field-code"
        name="code"
        type="text"
        inputMode="numeric"
        pattern="[0-9 ]*"
        maxLength={8}
        autoComplete="one-time-code"
        required
        autoFocus
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={errorId}
      />
    </div>
  );
}
