/**
 * The note shown when the registration signer (the agent's owner) is not the payee, or null when they match.
 * ERC-8004 keeps owner and payee independent: buyers pay `payTo` whatever the registry says.
 */
export function describeSignerPayee({ signer, payTo }: { signer: string | null; payTo: string }): string | null {
  const a = signer?.trim().toLowerCase();
  const b = payTo.trim().toLowerCase();
  if (!a || !b || a === b) return null;
  return `note: the agent is owned by the registration signer ${signer}, not the payee ${payTo}; payments still go to ${payTo} (hot signer, separate payee is allowed)`;
}
