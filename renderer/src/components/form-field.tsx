// One field of an elicitation form, drawn from its restricted-schema description: a labelled input
// with its hint, its required marker and its error, all tied together for screen readers.
import type { FocusEvent } from 'react';
import type { FieldInput, FormField } from '../../../common/elicitation-schema.js';

export interface FormFieldProps {
  field: FormField;
  /** Unique in the page; the input's id. */
  id: string;
  value: FieldInput;
  error: string | undefined;
  onChange(value: FieldInput): void;
  /** Focus left the field (for a group: left the whole group). */
  onLeave(): void;
}

/** Radio buttons for a few choices, a list box for more. */
const MAX_RADIOS = 4;

export function FormFieldInput({ field, id, value, error, onChange, onLeave }: FormFieldProps) {
  const onBlur = (e: FocusEvent<HTMLElement>) => {
    if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) onLeave();
  };
  const hint = hintOf(field);
  const describedBy = [field.description ? `${id}-desc` : '', hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const notes = (
    <>
      {field.description ? <p id={`${id}-desc`} className="field-description">{field.description}</p> : null}
      {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
      {error ? <p id={`${id}-error`} className="field-error">{error}</p> : null}
    </>
  );
  const label = (
    <>
      {field.label}
      {field.required ? <Required /> : null}
    </>
  );
  const invalid = error ? true : undefined;

  switch (field.kind) {
    case 'text':
    case 'number': {
      const type = field.kind === 'text' ? (field.format === 'email' ? 'email' : field.format === 'uri' ? 'url' : field.format === 'date' ? 'date' : 'text') : 'text';
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          {notes}
          <input
            id={id}
            name={field.name}
            type={type}
            inputMode={field.kind === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined}
            autoComplete="off"
            spellCheck={field.kind === 'text' && field.format === undefined ? undefined : false}
            required={field.required}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value)}
            onBlur={onBlur}
          />
        </div>
      );
    }
    case 'boolean':
      return (
        <div className="field checkbox">
          <input
            id={id}
            name={field.name}
            type="checkbox"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            onBlur={onBlur}
          />
          <label htmlFor={id}>{label}</label>
          {notes}
        </div>
      );
    case 'choice':
      if (field.options.length > MAX_RADIOS) {
        return (
          <div className="field">
            <label htmlFor={id}>{label}</label>
            {notes}
            <select id={id} name={field.name} required={field.required} aria-invalid={invalid} aria-describedby={describedBy} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} onBlur={onBlur}>
              <option value="">{field.required ? 'Choose one…' : '(none)'}</option>
              {field.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        );
      }
      return (
        <fieldset className="field" id={id} role="radiogroup" aria-required={field.required} aria-invalid={invalid} aria-describedby={describedBy} onBlur={onBlur}>
          <legend>{label}</legend>
          {notes}
          {field.options.map((o, i) => (
            <div className="option" key={o.value}>
              <input id={`${id}-${i}`} type="radio" name={`${id}-${field.name}`} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
              <label htmlFor={`${id}-${i}`}>{o.label}</label>
            </div>
          ))}
        </fieldset>
      );
    case 'multi': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field" id={id} aria-invalid={invalid} aria-describedby={describedBy} onBlur={onBlur}>
          <legend>{label}</legend>
          {notes}
          {field.options.map((o, i) => (
            <div className="option" key={o.value}>
              <input
                id={`${id}-${i}`}
                type="checkbox"
                value={o.value}
                checked={chosen.includes(o.value)}
                onChange={(e) => onChange(e.target.checked ? field.options.map((x) => x.value).filter((v) => v === o.value || chosen.includes(v)) : chosen.filter((v) => v !== o.value))}
              />
              <label htmlFor={`${id}-${i}`}>{o.label}</label>
            </div>
          ))}
        </fieldset>
      );
    }
  }
}

function Required() {
  return (
    <>
      <span className="required" aria-hidden="true"> *</span>
      <span className="visually-hidden"> (required)</span>
    </>
  );
}

function hintOf(field: FormField): string | undefined {
  const parts: string[] = [];
  switch (field.kind) {
    case 'text':
      if (field.format === 'email') parts.push('An email address.');
      if (field.format === 'uri') parts.push('A full URI, like https://example.com/page.');
      if (field.format === 'date') parts.push('A date.');
      if (field.format === 'date-time') parts.push('A date and time, like 2026-12-24T09:30:00Z.');
      if (field.minLength !== undefined && field.maxLength !== undefined) parts.push(`${field.minLength} to ${field.maxLength} characters.`);
      else if (field.minLength !== undefined) parts.push(`At least ${field.minLength} characters.`);
      else if (field.maxLength !== undefined) parts.push(`At most ${field.maxLength} characters.`);
      break;
    case 'number':
      parts.push(field.integer ? 'A whole number' : 'A number');
      if (field.minimum !== undefined && field.maximum !== undefined) parts.push(` from ${field.minimum} to ${field.maximum}`);
      else if (field.minimum !== undefined) parts.push(` of at least ${field.minimum}`);
      else if (field.maximum !== undefined) parts.push(` of at most ${field.maximum}`);
      parts.push('.');
      return parts.join('');
    case 'multi':
      if (field.minItems !== undefined && field.maxItems !== undefined) parts.push(`Choose ${field.minItems} to ${field.maxItems}.`);
      else if (field.minItems !== undefined) parts.push(`Choose at least ${field.minItems}.`);
      else if (field.maxItems !== undefined) parts.push(`Choose at most ${field.maxItems}.`);
      break;
    default:
      break;
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}
