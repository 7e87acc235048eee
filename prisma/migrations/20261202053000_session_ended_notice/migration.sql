-- Live updates (docs/sync-protocol.md rule L8): a deleted session - sign-out, the daily prune, a deleted account -
-- is announced on channel session_ended as '<tokenHash>:<reason>', so every server instance ends that session's
-- event streams at once. Prisma does not model triggers; this migration is their only definition.
CREATE FUNCTION "session_ended_notice"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('session_ended', OLD."tokenHash" || ':' ||
    CASE WHEN OLD."expiresAt" <= now() THEN 'session_expired' ELSE 'signed_out' END);
  RETURN OLD;
END
$$;

CREATE TRIGGER "session_ended" AFTER DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION "session_ended_notice"();
