-- Foundation: accounts, sign-in codes, sessions, organizers and their teams, events,
-- the audit log and the dev mailbox. Runs unchanged on PGlite and PostgreSQL 15+.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Always stored lower-cased by the service; the unique index is the real guard.
  email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 120),
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- One live sign-in code per e-mail address: requesting a new one replaces the old.
-- Keyed by e-mail rather than user so that asking for a code never creates or reveals an account.
CREATE TABLE otp_codes (
  email text PRIMARY KEY,
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Only a hash of the bearer token is kept, so a database leak does not leak sessions.
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text,
  ip text
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE organizers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organizers_slug_key ON organizers (slug);

CREATE TABLE organizer_members (
  organizer_id uuid NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organizer_id, user_id)
);
CREATE INDEX organizer_members_user_id_idx ON organizer_members (user_id);

CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organizer_id uuid NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  category text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  language text NOT NULL DEFAULT 'en',
  age_rating text NOT NULL DEFAULT 'all',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  timezone text NOT NULL,
  venue_name text,
  venue_address text,
  venue_city text,
  venue_country text,
  online_url text,
  image_key text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
  published_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Kept by the trigger below; weighted so title matches rank above description matches.
  search tsvector NOT NULL DEFAULT ''::tsvector,
  CONSTRAINT events_ends_after_starts CHECK (ends_at > starts_at),
  CONSTRAINT events_has_place CHECK (venue_name IS NOT NULL OR online_url IS NOT NULL)
);
CREATE UNIQUE INDEX events_slug_key ON events (slug);
CREATE INDEX events_organizer_id_idx ON events (organizer_id, starts_at);
-- The public list: published events ordered by start, then id (the cursor).
CREATE INDEX events_public_idx ON events (starts_at, id) WHERE status = 'published';
CREATE INDEX events_search_idx ON events USING gin (search);
CREATE INDEX events_city_idx ON events (lower(venue_city)) WHERE status = 'published';

CREATE FUNCTION events_search_update() RETURNS trigger AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('simple', array_to_string(NEW.tags, ' ')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.category, '') || ' ' || coalesce(NEW.venue_city, '') || ' ' || coalesce(NEW.venue_name, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_search_trigger
  BEFORE INSERT OR UPDATE OF title, tags, category, venue_city, venue_name, description ON events
  FOR EACH ROW EXECUTE FUNCTION events_search_update();

-- Append-only record of organizer-side changes: who changed what, before and after.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  organizer_id uuid NOT NULL REFERENCES organizers (id),
  actor_user_id uuid REFERENCES users (id),
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_organizer_idx ON audit_log (organizer_id, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- The dev mailbox: mail "sent" while MAIL_DRIVER=dev-mailbox, shown at /dev/mailbox.
CREATE TABLE dev_mail (
  id bigserial PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  headers jsonb NOT NULL DEFAULT '{}',
  attachments jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_mail_to_idx ON dev_mail (to_address, id DESC);
