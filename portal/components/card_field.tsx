/**
 * The labelled card number input with the sandbox's test cards under it (signup and add card).
 * It never carries a value: a card number is not sent back to the browser.
 *
 * @module
 */

/** The card number field, named `name`. */
export function CardNumberField({ name }: { name: string }) {
  return (
    <>
      <label for={name}>Card number</label>
      <input id={name} name={name} inputmode="numeric" autocomplete="cc-number" required />
      <p class="muted">Test cards: 4242 4242 4242 4242 approves; 4000 0000 0000 0002 declines.</p>
    </>
  );
}

/** In place of the card field when the card is entered at Stripe's page (the Stripe gateway). */
export function CardAtProviderNote() {
  return (
    <p class="card-note">
      You enter your card at Stripe, our payment provider, on the next page: the card number never
      reaches us.
    </p>
  );
}
