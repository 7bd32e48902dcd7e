-- The schema every driver app reads and writes (the tests fill it with random rows).
CREATE TABLE users (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A transfer moves money between two accounts in one transaction; the CHECK makes an
-- overdraft fail half-way, so the transaction must roll back.
CREATE TABLE accounts (
  id      int PRIMARY KEY,
  owner   text NOT NULL,
  balance int NOT NULL CHECK (balance >= 0)
);
