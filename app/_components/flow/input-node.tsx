import type { HTMLInputAutoCompleteAttribute } from 'react';
import type { FlowNode } from '@/lib/domain/flows/flow';
import { type FlowI18n, messageText, renderMessage } from './flow-i18n';
import { hasError } from './group-nodes';
import { NodeMessages, messageIds } from './node-messages';
import { PasswordStrength, strengthOf } from './password-strength';

type InputFlowNode = Extract<FlowNode, { type: 'input' }>;

type Props = {
  node: InputFlowNode;
  fieldId: string;
  i18n: FlowI18n;
  autoFocus?: boolean;
  /** For submit buttons: the step's main action (the first button) is styled as primary. */
  primary?: boolean;
};

/** The visible label: the node's translated label, else its name (every input has one). */
function Label({ node, fieldId, i18n }: Pick<Props, 'node' | 'fieldId' | 'i18n'>) {
  return <label htmlFor={fieldId}>{node.meta.label ? renderMessage(i18n, node.meta.label) : node.attributes.name}</label>;
}

/** aria-invalid and aria-describedby shared by every kind of field. */
function ariaFor(node: InputFlowNode, fieldId: string) {
  const described = messageIds(fieldId, node.messages);
  return {
    'aria-invalid': hasError(node) ? ('true' as const) : undefined,
    'aria-describedby': described.length > 0 ? described.join(' ') : undefined,
  };
}

/**
 * One input node, by `attributes.type`. Every visible field has a <label>, the autocomplete
 * token the server chose, and its messages tied to it. Browser validation is off on the form
 * (noValidate): the server's localized messages are the single source of errors.
 */
export function InputNode({ node, fieldId, i18n, autoFocus, primary }: Props) {
  const a = node.attributes;
  const autoComplete = a.autocomplete as HTMLInputAutoCompleteAttribute | undefined;
  const messages = <NodeMessages fieldId={fieldId} messages={node.messages} i18n={i18n} />;

  switch (a.type) {
    case 'hidden':
      return <input type="hidden" name={a.name} value={a.value ?? ''} />;

    case 'submit':
      return (
        <button id={fieldId} className={primary ? 'primary' : 'secondary'} type="submit" name={a.name} value={a.value} disabled={a.disabled}>
          {node.meta.label ? messageText(i18n, node.meta.label) : i18n.t('flow.continue')}
        </button>
      );

    case 'checkbox':
      // A ticked box submits 'true'; it starts ticked when the server's value is 'true' (flow.ts).
      return (
        <div className="field checkbox">
          <div className="checkbox-row">
            <input
              id={fieldId}
              type="checkbox"
              name={a.name}
              value="true"
              defaultChecked={a.value === 'true'}
              required={a.required}
              disabled={a.disabled}
              autoFocus={autoFocus}
              {...ariaFor(node, fieldId)}
            />
            <Label node={node} fieldId={fieldId} i18n={i18n} />
          </div>
          {messages}
        </div>
      );

    case 'select':
      return (
        <div className="field">
          <Label node={node} fieldId={fieldId} i18n={i18n} />
          {messages}
          <select
            id={fieldId}
            name={a.name}
            defaultValue={a.value ?? ''}
            required={a.required}
            disabled={a.disabled}
            autoComplete={autoComplete}
            autoFocus={autoFocus}
            {...ariaFor(node, fieldId)}
          >
            {a.value ? null : <option value="">{i18n.t('flow.selectPlaceholder')}</option>}
            {(a.options ?? []).map((option) => (
              <option key={option.value} value={option.value}>
                {messageText(i18n, option.label)}
              </option>
            ))}
          </select>
        </div>
      );

    default: {
      const score = a.type === 'password' ? strengthOf(node) : undefined;
      const notWords = a.type === 'email' || a.type === 'password' || a.autocomplete === 'one-time-code' || a.autocomplete === 'username';
      return (
        <div className="field">
          <Label node={node} fieldId={fieldId} i18n={i18n} />
          {messages}
          <input
            id={fieldId}
            name={a.name}
            type={a.type}
            // A password is never sent back to the browser.
            defaultValue={a.type === 'password' ? undefined : a.value}
            required={a.required}
            disabled={a.disabled}
            autoComplete={autoComplete}
            maxLength={a.maxlength}
            minLength={a.minlength}
            min={a.min}
            max={a.max}
            pattern={a.pattern}
            inputMode={a.inputmode}
            autoFocus={autoFocus}
            // Emails, codes and passwords are not words: no capitalisation or spell-checking.
            autoCapitalize={notWords ? 'off' : undefined}
            spellCheck={notWords ? false : undefined}
            {...ariaFor(node, fieldId)}
          />
          {score === undefined ? null : <PasswordStrength fieldId={fieldId} score={score} i18n={i18n} />}
        </div>
      );
    }
  }
}
