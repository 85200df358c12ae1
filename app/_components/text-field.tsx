import type { HTMLInputAutoCompleteAttribute, HTMLInputTypeAttribute } from 'react';

type Props = {
  name: string;
  label: string;
  type: HTMLInputTypeAttribute;
  autoComplete: HTMLInputAutoCompleteAttribute;
  defaultValue?: string;
  required?: boolean;
  autoFocus?: boolean;
  invalid?: boolean;
  describedBy?: string;
};

/** A labelled input; the visible label and autocomplete token are part of our form contract. */
export function TextField({ name, label, type, autoComplete, defaultValue, required = true, autoFocus, invalid, describedBy }: Props) {
  const id = `field-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        required={required}
        autoFocus={autoFocus}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}
