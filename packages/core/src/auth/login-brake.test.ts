import { describe, expect, it } from "vitest";
import { createLoginBrake, type LoginReservation, type LoginTicket } from "./login-brake.ts";

function ticketOf(reservation: LoginReservation): LoginTicket {
  if (!reservation.ok) throw new Error(`refused for ${reservation.retryAfterSeconds} s`);
  return reservation;
}

describe("createLoginBrake", () => {
  it("counts attempts in flight, so concurrent guesses from one address cannot pass the limit", () => {
    const brake = createLoginBrake({ perAddress: { maxAttempts: 10, windowMs: 60_000 } });
    const reservations = Array.from({ length: 40 }, () => brake.reserve("203.0.113.7"));
    expect(reservations.filter((r) => r.ok)).toHaveLength(10);
    expect(reservations.filter((r) => !r.ok)).toHaveLength(30);
    expect(brake.reserve("198.51.100.1").ok).toBe(true);
  });

  it("lets an address try again once its failures leave the window", () => {
    let now = Date.parse("2026-11-23T10:00:00Z");
    const brake = createLoginBrake({ perAddress: { maxAttempts: 3, windowMs: 60_000 }, clock: () => new Date(now) });
    for (let i = 0; i < 3; i++) {
      ticketOf(brake.reserve("1.2.3.4")).fail();
      now += 1_000;
    }
    expect(brake.reserve("1.2.3.4")).toEqual({ ok: false, retryAfterSeconds: 57 });
    now += 57_000;
    expect(brake.reserve("1.2.3.4").ok).toBe(true);
  });

  it("a released attempt (the check could not run) counts for nothing; a success starts afresh", () => {
    const brake = createLoginBrake({ perAddress: { maxAttempts: 1, windowMs: 60_000 } });
    ticketOf(brake.reserve("k")).release();
    const ticket = ticketOf(brake.reserve("k"));
    ticket.fail();
    ticket.fail();
    expect(brake.reserve("k").ok).toBe(false);
  });

  it("backs the account off exponentially after free failures, never past the cap", () => {
    const brake = createLoginBrake({
      perAddress: { maxAttempts: 100, windowMs: 60_000 },
      account: { freeFailures: 2, baseDelayMs: 100, maxDelayMs: 1_000, windowMs: 60_000 },
    });
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ticket = ticketOf(brake.reserve(`10.0.0.${i}`));
      delays.push(ticket.delayMs);
      ticket.fail();
    }
    expect(delays).toEqual([0, 0, 0, 100, 200, 400, 800, 1_000]);
    // The owner from a fresh address is delayed by the cap at most, never refused; success resets the account.
    const owner = ticketOf(brake.reserve("192.0.2.10"));
    expect(owner.delayMs).toBe(1_000);
    owner.succeed();
    expect(ticketOf(brake.reserve("192.0.2.11")).delayMs).toBe(0);
  });
});
