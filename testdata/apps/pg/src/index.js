// node-postgres (pg) as Cloudflare's Hyperdrive example uses it: a new Client per request on
// env.HYPERDRIVE.connectionString, ended in ctx.waitUntil; plus pg.Pool, a write and a
// transaction (BEGIN/COMMIT, ROLLBACK on error).
import pg, { Client } from "pg";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname.replace(/\/\d+$/, "/:id")}`;
    try {
      switch (route) {
        case "GET /users/:id":
          return await getUser(env, ctx, Number(url.pathname.split("/").pop()));
        case "GET /pool/users":
          return await poolUsers(env, ctx, url.searchParams.get("ids").split(",").map(Number));
        case "POST /users":
          return await createUser(env, ctx, await request.json());
        case "POST /transfer":
          return await transfer(env, ctx, await request.json());
        case "GET /ssl":
          return await ssl(env, ctx);
        case "GET /cancel":
          return await cancelSleep(env, ctx);
        default:
          return Response.json({ error: "not found" }, { status: 404 });
      }
    } catch (e) {
      return Response.json({ error: e.message, code: e.code ?? null }, { status: 500 });
    }
  },
};

async function getUser(env, ctx, id) {
  // Create a new client instance for each request. Hyperdrive maintains the
  // underlying database connection pool, so creating a new client is fast.
  const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
  try {
    await client.connect();
    const result = await client.query(
      "SELECT id, name, email, created_at FROM users WHERE id = $1",
      [id],
    );
    if (result.rows.length === 0) {
      return Response.json({ error: "no such user" }, { status: 404 });
    }
    const row = result.rows[0];
    return Response.json({
      user: row,
      createdAtIsDate: row.created_at instanceof Date,
      fields: result.fields.map((f) => f.name),
      rowCount: result.rowCount,
    });
  } finally {
    // Clean up the client after the response is returned.
    ctx.waitUntil(client.end());
  }
}

async function poolUsers(env, ctx, ids) {
  const pool = new pg.Pool({ connectionString: env.HYPERDRIVE.connectionString, max: 2 });
  try {
    // Two queries at once on a pool of two: both connections are used.
    const [list, count] = await Promise.all([
      pool.query("SELECT id, name FROM users WHERE id = ANY($1::int[]) ORDER BY id", [ids]),
      pool.query("SELECT count(*)::int AS n FROM users"),
    ]);
    return Response.json({ users: list.rows, total: count.rows[0].n });
  } finally {
    ctx.waitUntil(pool.end());
  }
}

async function createUser(env, ctx, { name, email }) {
  const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
  try {
    await client.connect();
    const result = await client.query(
      "INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id, name, email",
      [name, email],
    );
    return Response.json({ user: result.rows[0], command: result.command, rowCount: result.rowCount }, { status: 201 });
  } finally {
    ctx.waitUntil(client.end());
  }
}

async function transfer(env, ctx, { from, to, amount }) {
  const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("UPDATE accounts SET balance = balance + $1 WHERE id = $2", [amount, to]);
    await client.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [amount, from]);
    await client.query("COMMIT");
    return Response.json({ committed: true });
  } catch (e) {
    await client.query("ROLLBACK");
    return Response.json({ committed: false, code: e.code, constraint: e.constraint }, { status: 409 });
  } finally {
    ctx.waitUntil(client.end());
  }
}

async function ssl(env, ctx) {
  const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
  try {
    await client.connect();
    const result = await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    return Response.json(result.rows[0]);
  } finally {
    ctx.waitUntil(client.end());
  }
}

// pg cancels a running query as libpq does: a second connection to the same server sends a
// CancelRequest with the first one's key (Client#cancel).
async function cancelSleep(env, ctx) {
  const connectionString = env.HYPERDRIVE.connectionString;
  const client = new Client({ connectionString });
  const watcher = new Client({ connectionString });
  await Promise.all([client.connect(), watcher.connect()]);
  try {
    const sleeping = client.query("SELECT pg_sleep(20) AS slept");
    sleeping.catch(() => {}); // awaited below
    // A cancel that arrives before the server runs the query cancels nothing (as with
    // PostgreSQL itself), so wait until it runs; random() keeps the poll out of the cache.
    for (let i = 0; ; i++) {
      const { rows } = await watcher.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20) AS slept' AND state = 'active' AND random() >= 0",
      );
      if (rows[0].n > 0) break;
      if (i === 500) return Response.json({ error: "the query never started" }, { status: 500 });
      await scheduler.wait(10);
    }
    new Client({ connectionString }).cancel(client, client.activeQuery);
    try {
      await sleeping;
      return Response.json({ cancelled: false });
    } catch (e) {
      return Response.json({ cancelled: true, code: e.code ?? null });
    }
  } finally {
    ctx.waitUntil(Promise.all([client.end(), watcher.end()]));
  }
}
