import { clampQuantity } from '../lib/ticket-selection';

/**
 * A number with − and + buttons, for phones and keyboards alike. The input can be typed into;
 * whatever is typed is kept within 0…max. The buttons name the ticket type, so a screen reader
 * hears "Add one Early bird ticket", not just "plus".
 */
export function QuantityStepper({
  id,
  name,
  value,
  max,
  onChange,
  describedBy,
}: {
  id: string;
  name: string;
  value: number;
  max: number;
  onChange: (value: number) => void;
  describedBy?: string | undefined;
}) {
  return (
    <div className="stepper" role="group" aria-label={`${name} quantity`}>
      <button
        type="button"
        className="stepper-button"
        aria-label={`Remove one ${name} ticket`}
        disabled={value <= 0}
        onClick={() => onChange(clampQuantity(value - 1, max))}
      >
        <span aria-hidden="true">−</span>
      </button>
      <label htmlFor={id} className="visually-hidden">
        Number of {name} tickets
      </label>
      <input
        id={id}
        className="stepper-input"
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        step={1}
        value={value}
        aria-describedby={describedBy}
        onChange={(e) => onChange(clampQuantity(Number(e.target.value), max))}
        onFocus={(e) => e.target.select()}
      />
      <button
        type="button"
        className="stepper-button"
        aria-label={`Add one ${name} ticket`}
        disabled={value >= max}
        onClick={() => onChange(clampQuantity(value + 1, max))}
      >
        <span aria-hidden="true">+</span>
      </button>
    </div>
  );
}
