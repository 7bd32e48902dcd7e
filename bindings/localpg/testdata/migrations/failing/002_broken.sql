-- The first statements succeed, the last fails: none of them may remain.
CREATE TABLE half_done (id int);
INSERT INTO half_done VALUES (1);
INSERT INTO no_such_table VALUES (1);
