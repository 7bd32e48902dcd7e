-- Writes of the well-behaved POST /write route: token is not unique on
-- purpose, so a write applied twice shows up as two rows.
CREATE TABLE soak_writes (
  id bigserial PRIMARY KEY,
  token text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX soak_writes_token ON soak_writes (token);

-- The row well-behaved GET /db reads ("real"), and a decoy of the same name in
-- another schema ("evil"): a search_path or a temporary table left on a pooled
-- connection by a hostile request makes a later GET /db read the decoy.
CREATE TABLE soak_items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO soak_items VALUES (1, 'real');
CREATE SCHEMA soak_evil;
CREATE TABLE soak_evil.soak_items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO soak_evil.soak_items VALUES (1, 'evil');
