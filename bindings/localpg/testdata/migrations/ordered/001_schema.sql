-- The table the later migrations fill.
CREATE TABLE items (
    id   int PRIMARY KEY,
    name text NOT NULL
);
