CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO items SELECT g, 'item-' || g FROM generate_series(1, 1000) AS g;
CREATE TABLE writes (id bigserial PRIMARY KEY, token text UNIQUE NOT NULL, at timestamptz DEFAULT now());
