import {
  createInProcessEventBus,
  type EventBus,
  type TollgateEvent,
  type TollgateEventType,
  tollgateEventSchema,
} from "@tollgate/core/events/index";
import pg from "pg";
import type { PgConnectionParts } from "../pg-pool.ts";

/** The LISTEN/NOTIFY channel every replica of one ledger shares. */
export const eventChannel = "tollgate_events";
/** Postgres refuses NOTIFY payloads of 8000 bytes or more; batches stay below this. */
const maxPayloadBytes = 7_000;

/**
 * Events that stay on the replica that published them: each replica observes conditions and model health
 * itself (its own probes decide its own routes), so only the leader's condition writes reach the ledger.
 */
const localOnly = new Set<TollgateEventType>(["conditions", "models.changed"]);

interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The event bus of a replica, plus what came from the others. */
export interface PgEventBus extends EventBus {
  /** Called for every event another replica published; the local subscribers get it once this has finished. */
  onRemote(listener: (event: TollgateEvent) => void | Promise<void>): () => void;
  /** Closes the listening connection; events published afterwards stay local. */
  stop(): Promise<void>;
}

/**
 * The event bus of several servers on one ledger (SPEC §2, §15): every event reaches this replica's
 * subscribers at once, in publish order (the in-process bus), and the ledger-change ones (`offer.changed`,
 * `settings.changed`, `identity.changed`, `ledger.replaced`, payments) also reach every other replica through
 * Postgres `NOTIFY` on one channel. Events published in the same tick go out in one notification (payloads
 * are small: ids, not rows); the receivers re-read the ledger. The listening connection reconnects by
 * itself; after a reconnect every replica's caches reload through a local `ledger.replaced`, so a
 * notification missed while it was away is never lost. Publishing never throws or blocks.
 */
export async function startPgEventBus({
  parts,
  replicaId,
  log,
  reconnectMs = 1_000,
}: {
  parts: PgConnectionParts;
  replicaId: string;
  log: BusLog;
  reconnectMs?: number;
}): Promise<PgEventBus> {
  const local = createInProcessEventBus({
    onListenerError: (error) => log.error({ err: error }, "an event listener failed"),
  });
  const remoteListeners = new Set<(event: TollgateEvent) => void | Promise<void>>();
  let client: pg.Client | null = null;
  let stopped = false;
  let connectedOnce = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let outbox: TollgateEvent[] = [];
  let flushScheduled = false;

  /** Remote events are delivered one after another, each once its remote listeners have finished. */
  let deliveries: Promise<void> = Promise.resolve();
  const deliverRemote = (payload: string) => {
    let message: { origin?: unknown; events?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return;
    }
    if (message.origin === replicaId || !Array.isArray(message.events)) return;
    for (const raw of message.events) {
      const parsed = tollgateEventSchema.safeParse(raw);
      if (!parsed.success) continue;
      const event = parsed.data;
      deliveries = deliveries.then(async () => {
        // Remote listeners first: they reload caches (chains, site settings) the local subscribers then read.
        await Promise.all(
          [...remoteListeners].map(async (listener) => {
            try {
              await listener(event);
            } catch (error) {
              log.error({ err: error }, "a remote event listener failed");
            }
          }),
        );
        local.publish(event);
      });
    }
  };

  /** Splits the outbox into notifications under the payload limit. */
  const batches = (events: TollgateEvent[]): string[] => {
    const out: string[] = [];
    let current: TollgateEvent[] = [];
    const encode = (list: TollgateEvent[]) => JSON.stringify({ origin: replicaId, events: list });
    for (const event of events) {
      const next = [...current, event];
      if (current.length > 0 && Buffer.byteLength(encode(next)) > maxPayloadBytes) {
        out.push(encode(current));
        current = [event];
      } else current = next;
    }
    if (current.length > 0) out.push(encode(current));
    return out;
  };

  const flush = async () => {
    flushScheduled = false;
    const c = client;
    if (!c || outbox.length === 0) return;
    const events = outbox;
    outbox = [];
    try {
      for (const payload of batches(events)) await c.query("SELECT pg_notify($1, $2)", [eventChannel, payload]);
    } catch (error) {
      // Kept for the reconnect; the others reload everything then anyway.
      outbox = [...events, ...outbox].slice(-1_000);
      log.warn({ err: error }, "events: notifying the other replicas failed");
    }
  };

  const scheduleFlush = () => {
    if (flushScheduled || !client) return;
    flushScheduled = true;
    setImmediate(() => void flush());
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, reconnectMs);
    reconnectTimer.unref?.();
  };

  const drop = (c: pg.Client, reason: unknown) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => {});
    if (!stopped) log.warn({ err: reason }, "events: listening connection lost; reconnecting");
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({
      ...parts,
      application_name: `tollgate-events:${replicaId}`.slice(0, 63),
      keepAlive: true,
    });
    c.on("error", (error) => drop(c, error));
    c.on("end", () => drop(c, new Error("connection ended")));
    c.on("notification", (message) => {
      if (message.channel === eventChannel && message.payload) deliverRemote(message.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${eventChannel}`);
    } catch (error) {
      c.removeAllListeners("end");
      c.end().catch(() => {});
      if (!stopped) log.warn({ err: error }, "events: cannot listen on the ledger; retrying");
      scheduleReconnect();
      return;
    }
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    if (connectedOnce) {
      log.info({}, "events: listening again; reloading every cache from the ledger");
      local.publish({ type: "ledger.replaced", at: new Date().toISOString() });
    }
    connectedOnce = true;
    scheduleFlush();
  }

  await connect();

  return {
    publish(event) {
      local.publish(event);
      if (localOnly.has(event.type)) return;
      outbox.push(event);
      if (outbox.length > 1_000) outbox = outbox.slice(-1_000);
      scheduleFlush();
    },
    subscribe: (listener) => local.subscribe(listener),
    onRemote(listener) {
      remoteListeners.add(listener);
      return () => remoteListeners.delete(listener);
    },
    async stop() {
      await flush();
      stopped = true;
      clearTimeout(reconnectTimer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
