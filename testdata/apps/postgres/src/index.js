// postgres.js as Cloudflare's Hyperdrive example uses it: postgres(connectionString,
// { max: 5, fetch_types: false }) per request, tagged queries, sql.begin transactions, and
// ctx.waitUntil(sql.end()). The var POSTGRES_PREPARE = "false" turns postgres.js's named
// prepared statements off (prepare: false, what transaction-mode poolers used to need).
import postgres from "postgres";

export default {
  async fetch(request, env, ctx) {
    // Create a database client that connects to your database via Hyperdrive.
    // Hyperdrive maintains the underlying database connection pool,
    // so creating a new client on each request is fast and recommended.
    const sql = postgres(env.HYPERDRIVE.connectionString, {
      // Limit the connections for the Worker request to 5 due to Workers' limits on concurrent external connections
      max: 5,
      // If you are not using array types in your Postgres schema, disable `fetch_types` to avoid an additional round-trip (unnecessary latency)
      fetch_types: false,
      prepare: env.POSTGRES_PREPARE !== "false",
    });
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname.replace(/\/\d+$/, "/:id")}`;
    try {
      switch (route) {
        case "GET /users/:id": {
          const id = Number(url.pathname.split("/").pop());
          const rows = await sql`SELECT id, name, email, created_at FROM users WHERE id = ${id}`;
          if (rows.length === 0) return Response.json({ error: "no such user" }, { status: 404 });
          return Response.json({
            user: rows[0],
            createdAtIsDate: rows[0].created_at instanceof Date,
            columns: rows.columns.map((c) => c.name),
            count: rows.count,
          });
        }
        case "GET /users": {
          // Several queries at once spread over the client's connections.
          const ids = url.searchParams.get("ids").split(",").map(Number);
          const found = await Promise.all(ids.map((id) => sql`SELECT id, name FROM users WHERE id = ${id}`));
          return Response.json({ users: found.map((rows) => rows[0] ?? null) });
        }
        case "POST /users": {
          const { name, email } = await request.json();
          const [user] = await sql`INSERT INTO users ${sql({ name, email })} RETURNING id, name, email`;
          return Response.json({ user }, { status: 201 });
        }
        case "POST /transfer": {
          const { from, to, amount } = await request.json();
          try {
            const balances = await sql.begin(async (sql) => {
              await sql`UPDATE accounts SET balance = balance + ${amount} WHERE id = ${to}`;
              await sql`UPDATE accounts SET balance = balance - ${amount} WHERE id = ${from}`;
              return sql`SELECT id, balance FROM accounts WHERE id IN (${from}, ${to}) ORDER BY id`;
            });
            return Response.json({ committed: true, balances });
          } catch (e) {
            return Response.json({ committed: false, code: e.code, constraint: e.constraint_name }, { status: 409 });
          }
        }
        case "GET /prepared": {
          // The named statements of the server connection running this transaction that the
          // local Hyperdrive prepared for its clients (edgerun_<hash>): postgres.js's own among them
          // with prepare: true, none with prepare: false (it sends unnamed statements only).
          const rows = await sql.begin((sql) => sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'edgerun\_%'`);
          return Response.json({ named: rows[0].n, prepare: sql.options.prepare });
        }
        case "GET /ssl": {
          const [row] = await sql`SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
          return Response.json(row);
        }
        default:
          return Response.json({ error: "not found" }, { status: 404 });
      }
    } catch (e) {
      return Response.json({ error: e.message, code: e.code ?? null }, { status: 500 });
    } finally {
      // Clean up the client, ensuring we don't kill the worker before that is completed.
      ctx.waitUntil(sql.end());
    }
  },
};
