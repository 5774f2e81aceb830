/**
 * The default gateway: answers from the token alone (see `mock_tokens.ts`), with a fresh
 * `mock_<uuid4>` reference per charge.
 *
 * @module
 */
import type { ChargeRequest, ChargeResult, PaymentGateway, RefundRequest } from "./gateway.ts";
import { isNegative, isZero } from "./money.ts";
import { mockDeclineOf } from "./mock_tokens.ts";

/** The mock payment gateway. */
export class MockGateway implements PaymentGateway {
  readonly provider = "mock";

  /** Approves or declines by the token's marker. */
  charge(request: ChargeRequest): Promise<ChargeResult> {
    if (isZero(request.amount) || isNegative(request.amount)) {
      throw new RangeError("the mock gateway charges positive amounts only");
    }
    const gatewayRef = `mock_${crypto.randomUUID()}`;
    const decline = mockDeclineOf(request.token);
    return Promise.resolve({
      status: decline ? "declined" : "approved",
      gatewayRef,
      reason: decline?.reason ?? null,
      providerCallId: null,
      declineCode: decline?.code ?? null,
    });
  }

  /** Refunds anything it charged. */
  refund(request: RefundRequest): Promise<{ refundRef: string }> {
    if (!request.gatewayRef.startsWith("mock_")) {
      throw new RangeError(`the mock gateway did not make charge ${request.gatewayRef}`);
    }
    return Promise.resolve({ refundRef: `mock_re_${crypto.randomUUID()}` });
  }
}
