import type { ChainName } from "@tollgate/core/chains/index";
import type { PaymentState } from "@tollgate/core/gateway/index";
import {
  type PaymentRepository,
  type ResolvePendingResult,
  resolvePendingPayments,
} from "@tollgate/core/payments/index";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import type { Address, Hex } from "viem";
import type { Logger } from "../logger.ts";
import { checkAuthorizationOnChain } from "./check-authorization-on-chain.ts";

/**
 * Resolves unresolved payments against the chain: at start (before the gateway serves) every row a crash
 * left `verified`/`delivered`/`settlement_pending`; while serving, only `settlement_pending` rows (the others
 * belong to requests in progress). A row becomes `settled` (the authorization was used; tx hash from the
 * `AuthorizationUsed` event), stays `settlement_pending` (its transaction still waits to be mined) or becomes
 * `abandoned`. Rows on a chain that cannot be asked stay for the next pass. Never throws for one bad row.
 */
export async function recoverPendingPayments({
  payments,
  chains,
  log,
  states,
  exceptReplicas,
}: {
  payments: PaymentRepository;
  chains: ChainRuntime;
  log: Pick<Logger, "info" | "warn">;
  states?: readonly PaymentState[];
  /** Server processes whose rows are left alone (live replicas: their requests are in progress). */
  exceptReplicas?: readonly string[];
}): Promise<ResolvePendingResult> {
  const result = await resolvePendingPayments({
    payments,
    ...(states ? { states } : {}),
    exceptReplicas,
    checkAuthorization: async (payment) => {
      const configured = await chains.get(payment.chain as ChainName);
      if (!configured) throw new Error(`chain ${payment.chain} is not configured`);
      return checkAuthorizationOnChain({
        rpcUrl: configured.setting.rpcUrl,
        chainId: configured.chain.chainId,
        token: payment.asset as Address,
        payer: payment.payer as Address,
        nonce: payment.nonce as Hex,
        txHash: (payment.txHash as Hex | null) ?? null,
      });
    },
    onError: (payment, error) =>
      log.warn({ err: error, payment: payment.id, chain: payment.chain }, "could not resolve a pending payment"),
  });
  if (result.settled + result.abandoned + result.unresolved > 0) log.info(result, "resolved pending payments");
  return result;
}

/**
 * While the server runs: resolves `settlement_pending` rows every `intervalMs` (a query on the state index, so
 * an idle ledger costs one cheap query per pass). Passes never overlap. `stop()` ends the loop.
 */
export function startSettlementRecovery({
  payments,
  chains,
  log,
  intervalMs = 5_000,
  isLeader = () => true,
  liveReplicas,
}: {
  payments: PaymentRepository;
  chains: ChainRuntime;
  log: Pick<Logger, "info" | "warn">;
  intervalMs?: number;
  /** Several replicas on one ledger: only the leader resolves pending rows (SPEC §15). */
  isLeader?: () => boolean;
  /**
   * The server processes connected to the ledger now. With it, every pass also resolves the
   * `verified`/`delivered` rows of processes that died (a replica killed mid-request).
   */
  liveReplicas?: () => Promise<string[]>;
}): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      if (isLeader()) {
        await recoverPendingPayments({ payments, chains, log, states: ["settlement_pending"] });
        if (liveReplicas) {
          const exceptReplicas = await liveReplicas();
          await recoverPendingPayments({ payments, chains, log, states: ["verified", "delivered"], exceptReplicas });
        }
      }
    } catch (error) {
      log.warn({ err: error }, "settlement recovery pass failed");
    }
    if (!stopped) timer = setTimeout(pass, intervalMs);
  };
  timer = setTimeout(pass, intervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
