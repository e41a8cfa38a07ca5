/** Where services record who did what to which object. */
export interface AuditSink {
  record(entry: {
    actor: string;
    action: string;
    objectType: string;
    objectId: string;
    before?: unknown;
    after?: unknown;
  }): Promise<void>;
}
