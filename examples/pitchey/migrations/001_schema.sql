-- Pitchey schema: users and the pitches they publish.

CREATE TABLE users (
    id         bigserial   PRIMARY KEY,
    email      text        NOT NULL UNIQUE,
    name       text,
    status     text        NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pitches (
    id           bigserial     PRIMARY KEY,
    title        text          NOT NULL,
    description  text,
    user_id      bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       text          NOT NULL DEFAULT 'active',
    funding_goal numeric(12,2),
    created_at   timestamptz   NOT NULL DEFAULT now()
);

-- GET /api/users/:id/pitches: WHERE user_id = ? ORDER BY created_at DESC LIMIT ?
CREATE INDEX pitches_user_id_created_at_idx ON pitches (user_id, created_at DESC);
-- GET /api/stats: WHERE status = 'active'
CREATE INDEX pitches_status_idx ON pitches (status);
