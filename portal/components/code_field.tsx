/**
 * The labelled 6-digit one-time code input (sign-in and step-up).
 *
 * @module
 */

/** The code field, named `code`. */
export function CodeField() {
  return (
    <>
      <label for="code">6-digit code</label>
      <input
        id="code"
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        required
      />
    </>
  );
}
