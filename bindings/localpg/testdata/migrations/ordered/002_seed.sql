-- Several statements in one file; needs 001 to have run first.
INSERT INTO items VALUES (1, 'one');
INSERT INTO items VALUES (2, 'two');
