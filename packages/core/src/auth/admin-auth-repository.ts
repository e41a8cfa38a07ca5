/** An admin user as the auth service sees it (never the hash). */
export interface AdminUserSummary {
  id: string;
  username: string;
}

/** A live session found by its token. */
export interface AdminSessionSummary {
  userId: string;
  username: string;
  expiresAt: Date;
}

/** Storage for admin users and sessions (packages/db hashes passwords with scrypt and sessions with sha256). */
export interface AdminAuthRepository {
  /** The user with this name, or null. */
  findUser(username: string): Promise<AdminUserSummary | null>;
  /** Creates the user or replaces its password hash; ends the user's other sessions when it replaces. */
  setPassword(input: { username: string; password: string }): Promise<AdminUserSummary>;
  /** The user when the password matches its stored hash, else null (constant-time compare). */
  verifyPassword(input: { username: string; password: string }): Promise<AdminUserSummary | null>;
  /** Creates a session and returns its token (only its hash is stored). */
  createSession(input: { userId: string; expiresAt: Date }): Promise<{ token: string }>;
  /** The live session for a token at `now`, or null when unknown or expired. */
  findSession(input: { token: string; now: Date }): Promise<AdminSessionSummary | null>;
  /** Ends a session (no error when it does not exist). */
  deleteSession(token: string): Promise<void>;
  /** Removes sessions that expired before `now`; returns how many. */
  deleteExpiredSessions(now: Date): Promise<number>;
}
