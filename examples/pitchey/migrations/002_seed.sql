-- Deterministic seed data, so every example endpoint answers on first run:
-- 50 users (user 1 is alice@example.com) and 200 pitches (Alice owns 1..8).
-- Rows and ids are fixed; timestamps are relative to when this migration runs,
-- so the "last 30 days" figures of GET /api/stats stay meaningful.

INSERT INTO users (id, email, name, status, created_at)
VALUES (1, 'alice@example.com', 'Alice Anderson', 'active', now() - interval '100 days');

-- Users 2..50: user g joined (51 - g) * 2 days ago; every 10th is inactive.
INSERT INTO users (id, email, name, status, created_at)
SELECT g,
       format('%s.%s%s@example.com', lower(f.first), lower(f.last), g),
       f.first || ' ' || f.last,
       CASE WHEN g % 10 = 0 THEN 'inactive' ELSE 'active' END,
       now() - (51 - g) * interval '2 days'
FROM generate_series(2, 50) AS g
CROSS JOIN LATERAL (
    SELECT (ARRAY['Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan',
                  'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent'])[1 + g % 16] AS first,
           (ARRAY['Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito',
                  'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak'])[1 + (g * 7) % 13] AS last
) AS f;

-- Alice's pitches, newest first: pitch k was created k * 3 days ago.
INSERT INTO pitches (id, title, description, user_id, status, funding_goal, created_at)
VALUES
    (1, 'Solar Kiosks for Rural Markets', 'Pay-as-you-go solar charging stations run by local vendors.', 1, 'active', 250000.00, now() - interval '3 days'),
    (2, 'Edge-Native Invoicing', 'Invoices rendered and signed at the edge, close to every customer.', 1, 'active', 120000.00, now() - interval '6 days'),
    (3, 'Compost Pickup Subscriptions', 'Weekly compost collection for apartment buildings.', 1, 'draft', 45000.00, now() - interval '9 days'),
    (4, 'Open-Source Hearing Aids', 'Affordable, repairable hearing aids with published designs.', 1, 'active', 500000.00, now() - interval '12 days'),
    (5, 'Neighbourhood Tool Library', 'Borrow a drill instead of buying one; app-managed lockers.', 1, 'funded', 30000.00, now() - interval '15 days'),
    (6, 'Bike Courier Cooperative', 'Rider-owned same-day delivery for downtown businesses.', 1, 'active', 80000.00, now() - interval '18 days'),
    (7, 'Language Exchange Cafés', 'Pop-up cafés pairing learners with native speakers.', 1, 'active', 60000.00, now() - interval '21 days'),
    (8, 'Refill Station Network', 'Zero-packaging refill stations for household staples.', 1, 'archived', 150000.00, now() - interval '24 days');

-- Pitches 9..200 spread over users 2..50 (11 is prime to 49, so all are used),
-- each created between its owner joining and now.
INSERT INTO pitches (id, title, description, user_id, status, funding_goal, created_at)
SELECT i,
       format('%s %s for %s',
              (ARRAY['Smart', 'Green', 'Open', 'Mobile', 'Local', 'Shared', 'Modular', 'Quiet',
                     'Circular', 'Social', 'Tiny', 'Solar', 'Secure', 'Instant', 'Friendly', 'Robust'])[1 + i % 16],
              (ARRAY['Marketplace', 'Platform', 'Kitchen', 'Clinic', 'Studio', 'Garden', 'Network', 'Workshop',
                     'Academy', 'Fleet', 'Library', 'Exchange', 'Lab', 'Hub', 'Service', 'Toolkit'])[1 + (i * 5) % 16],
              (ARRAY['Students', 'Farmers', 'Freelancers', 'Seniors', 'Small Shops', 'Musicians',
                     'Remote Teams', 'New Parents'])[1 + (i * 3) % 8]),
       format('Seed pitch #%s: a deterministic example for user %s.', i, u.id),
       u.id,
       CASE WHEN i % 13 = 0 THEN 'funded'
            WHEN i % 9 = 0 THEN 'draft'
            WHEN i % 29 = 0 THEN 'archived'
            ELSE 'active' END,
       ((i * 7919) % 491 + 10) * 1000.00,
       u.created_at + (now() - u.created_at) * (((i * 37) % 97 + 1) / 100.0)
FROM generate_series(9, 200) AS i
JOIN users AS u ON u.id = 2 + (i * 11) % 49;

-- Explicit ids above: move the sequences past them so new rows do not collide.
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('pitches', 'id'), (SELECT max(id) FROM pitches));
