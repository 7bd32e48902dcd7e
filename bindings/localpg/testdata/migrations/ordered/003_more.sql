ALTER TABLE items ADD COLUMN added_by text NOT NULL DEFAULT '003';
INSERT INTO items (id, name) VALUES (3, 'three');
