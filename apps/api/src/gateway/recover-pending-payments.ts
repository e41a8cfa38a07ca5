import type { ChainName } from "@tollgate/core/chains/index";
import { type ResolvePendingResult, resolvePendingPayments } from "@tollgate/core/payments/index";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import { createPaymentRepository, type Db } from "@tollgate/db";
import type { Address, Hex } from "viem";
import type { Logger } from "../logger.ts";
import { checkAuthorizationOnChain } from "./check-authorization-on-chain.ts";

/**
 * Call once at start, after the chain runtime is up and before the gateway serves: payments a crash left
 * `verified`/`delivered` become `settled` (the authorization was used on chain; tx hash from the
 * `AuthorizationUsed` event) or `abandoned` (never used). Rows on a chain that cannot be asked stay
 * pending for the next start. Never throws for one bad row; logs a summary.
 */
export async function recoverPendingPayments({
  db,
  chains,
  log,
}: {
  db: Db;
  chains: ChainRuntime;
  log: Pick<Logger, "info" | "warn">;
}): Promise<ResolvePendingResult> {
  const payments = createPaymentRepository({ db });
  const result = await resolvePendingPayments({
    payments,
    checkAuthorization: async (payment) => {
      const configured = await chains.get(payment.chain as ChainName);
      if (!configured) throw new Error(`chain ${payment.chain} is not configured`);
      return checkAuthorizationOnChain({
        rpcUrl: configured.setting.rpcUrl,
        chainId: configured.chain.chainId,
        token: payment.asset as Address,
        payer: payment.payer as Address,
        nonce: payment.nonce as Hex,
      });
    },
    onError: (payment, error) =>
      log.warn({ err: error, payment: payment.id, chain: payment.chain }, "could not resolve a pending payment"),
  });
  if (result.settled + result.abandoned + result.unresolved > 0) log.info(result, "resolved pending payments");
  return result;
}
