// Pitchey: the seed document's Worker. A small JSON API over users and their
// pitches, talking to PostgreSQL only through env.HYPERDRIVE used as a
// database interface (prepare/bind/first/all), never as a connection string.

interface Env {
  HYPERDRIVE?: Hyperdrive;
}

interface User {
  id: number;
  email: string;
  name: string | null;
  status: string;
  created_at: Date;
}

interface Pitch {
  id: number;
  title: string;
  description: string | null;
  user_id: number;
  status: string;
  funding_goal: string | null; // numeric arrives as a string, losslessly
  created_at: Date;
}

const DEFAULT_PITCH_LIMIT = 10;
const MIN_PITCH_LIMIT = 1;
const MAX_PITCH_LIMIT = 100;
const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 5000;

/** SQLSTATE foreign_key_violation: POST /api/pitches named a user that does not exist. */
const FOREIGN_KEY_VIOLATION = "23503";

// The seed's analytics query, verbatim.
const STATS_SQL = `
    WITH user_stats AS (
      SELECT COUNT(*) as total_users,
             COUNT(CASE WHEN created_at > NOW() - INTERVAL '30 days' THEN 1 END) as recent_users
      FROM users
    ),
    pitch_stats AS (
      SELECT COUNT(*) as total_pitches,
             AVG(funding_goal) as avg_funding_goal
      FROM pitches
      WHERE status = 'active'
    )
    SELECT * FROM user_stats CROSS JOIN pitch_stats
  `;

/** An error whose message is safe to show the client, with its HTTP status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/**
 * The seed's "Database operation failed": what a failed query becomes once
 * logged. code keeps the SQLSTATE so the router can tell a client mistake
 * (a missing user) from an outage; it is never sent to the client.
 */
class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "DatabaseError";
  }
}

/** The seed's DatabaseService: every query goes through Hyperdrive, failures are logged and hidden. */
class DatabaseService {
  private useHyperdrive: boolean;

  constructor(private env: Env) {
    this.useHyperdrive = !!env.HYPERDRIVE;
  }

  async query<T>(sql: string, params: HyperdriveValue[] = []): Promise<T[]> {
    this.requireHyperdrive();
    try {
      return await this.executeHyperdrive<T>(sql, params);
    } catch (error) {
      throw this.failed(sql, error);
    }
  }

  /** The first row, or null: for lookups by key and INSERT … RETURNING. */
  async first<T>(sql: string, params: HyperdriveValue[] = []): Promise<T | null> {
    this.requireHyperdrive();
    try {
      const stmt = this.env.HYPERDRIVE!.prepare(sql);
      return await (params.length > 0 ? stmt.bind(...params) : stmt).first<T>();
    } catch (error) {
      throw this.failed(sql, error);
    }
  }

  private async executeHyperdrive<T>(sql: string, params: HyperdriveValue[]): Promise<T[]> {
    if (!this.env.HYPERDRIVE) {
      throw new Error("Hyperdrive not available");
    }

    const stmt = this.env.HYPERDRIVE.prepare(sql);
    if (params.length > 0) {
      return (await stmt.bind(...params).all<T>()).results;
    }
    return (await stmt.all<T>()).results;
  }

  // The seed's troubleshooting answer to "HYPERDRIVE binding not available":
  // there is no direct connection to fall back to here, so the client gets a 503.
  private requireHyperdrive(): void {
    if (!this.useHyperdrive) {
      console.error("Hyperdrive binding not configured");
      throw new HttpError(503, "Database service temporarily unavailable");
    }
  }

  private failed(sql: string, error: unknown): DatabaseError {
    // Log error but don't expose internal details
    console.error("Database query failed:", { sql: sql.substring(0, 100), error });
    return new DatabaseError("Database operation failed", (error as HyperdriveError | null)?.code);
  }
}

/** The seed's health check, unchanged in logic. */
async function healthCheck(env: Env): Promise<{
  status: "healthy" | "degraded" | "unhealthy";
  details: any;
}> {
  const checks = {
    hyperdrive: false,
    database: false,
    responseTime: 0,
  };

  const startTime = Date.now();

  try {
    // Test Hyperdrive connectivity
    if (env.HYPERDRIVE) {
      const result = await env.HYPERDRIVE
        .prepare("SELECT 1 as health_check, current_timestamp as server_time")
        .first<{ health_check: number; server_time: Date }>();

      checks.hyperdrive = !!result!.health_check;
      checks.database = true;
    }

    checks.responseTime = Date.now() - startTime;

    // Determine overall health
    if (checks.hyperdrive && checks.database && checks.responseTime < 1000) {
      return { status: "healthy", details: checks };
    } else if (checks.database) {
      return { status: "degraded", details: checks };
    } else {
      return { status: "unhealthy", details: checks };
    }
  } catch (error) {
    checks.responseTime = Date.now() - startTime;
    return {
      status: "unhealthy",
      details: { ...checks, error: (error as Error).message },
    };
  }
}

// ---------------------------------------------------------------- handlers

function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return Response.json(body, { status, headers });
}

/** A path or body id: a positive integer that a JS number holds exactly. */
function parseId(raw: unknown, name: string): number {
  const n = typeof raw === "string" && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
    throw new HttpError(400, `${name} must be a positive integer`);
  }
  return n;
}

/** ?limit=: an integer, clamped to 1..100; absent or empty means 10. */
function parseLimit(raw: string | null): number {
  if (raw === null || raw === "") return DEFAULT_PITCH_LIMIT;
  if (!/^-?\d{1,16}$/.test(raw)) {
    throw new HttpError(400, "limit must be an integer");
  }
  return Math.min(MAX_PITCH_LIMIT, Math.max(MIN_PITCH_LIMIT, Number(raw)));
}

async function getUser(_request: Request, env: Env, [rawId]: string[]): Promise<Response> {
  const id = parseId(rawId, "id");
  const user = await new DatabaseService(env).first<User>("SELECT * FROM users WHERE id = ?", [id]);
  if (!user) return json({ error: "User not found" }, 404);
  return json(user);
}

async function listUserPitches(request: Request, env: Env, [rawId]: string[]): Promise<Response> {
  const userId = parseId(rawId, "id");
  const limit = parseLimit(new URL(request.url).searchParams.get("limit"));
  const pitches = await new DatabaseService(env).query<Pitch>(
    "SELECT * FROM pitches WHERE user_id = ? ORDER BY created_at DESC LIMIT ?",
    [userId, limit],
  );
  return json({ userId, limit, pitches });
}

async function createPitch(request: Request, env: Env): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch (_) {
    throw new HttpError(400, "Request body must be JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "Request body must be a JSON object with title, description and userId");
  }
  const { title, description, userId } = body as Record<string, unknown>;
  if (typeof title !== "string" || title.trim() === "") {
    throw new HttpError(400, "title is required and must be a non-empty string");
  }
  if (title.trim().length > MAX_TITLE_LENGTH) {
    throw new HttpError(400, `title must be at most ${MAX_TITLE_LENGTH} characters`);
  }
  if (description !== undefined && description !== null && typeof description !== "string") {
    throw new HttpError(400, "description must be a string");
  }
  if (typeof description === "string" && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new HttpError(400, `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (typeof userId !== "number") {
    throw new HttpError(400, "userId must be a positive integer");
  }
  const ownerId = parseId(userId, "userId");

  try {
    const pitch = await new DatabaseService(env).first<Pitch>(
      "INSERT INTO pitches (title, description, user_id) VALUES (?, ?, ?) RETURNING *",
      [title.trim(), description ?? null, ownerId],
    );
    return json(pitch, 201);
  } catch (error) {
    if (error instanceof DatabaseError && error.code === FOREIGN_KEY_VIOLATION) {
      throw new HttpError(400, `userId ${ownerId} does not exist`);
    }
    throw error;
  }
}

async function getStats(_request: Request, env: Env): Promise<Response> {
  const stats = await new DatabaseService(env).first(STATS_SQL);
  return json(stats);
}

async function getHealth(_request: Request, env: Env): Promise<Response> {
  const health = await healthCheck(env);
  return json(health, health.status === "unhealthy" ? 503 : 200, { "cache-control": "no-store" });
}

function getIndex(): Response {
  return json({
    name: "pitchey",
    routes: routes.map((r) => `${r.method} ${r.path}`),
  });
}

// ---------------------------------------------------------------- router

type Handler = (request: Request, env: Env, params: string[]) => Promise<Response> | Response;

interface Route {
  method: string;
  path: string; // as shown by GET /
  pattern: RegExp; // its groups are the handler's params
  handler: Handler;
}

const routes: Route[] = [
  { method: "GET", path: "/", pattern: /^\/$/, handler: getIndex },
  { method: "GET", path: "/health", pattern: /^\/health$/, handler: getHealth },
  { method: "GET", path: "/api/stats", pattern: /^\/api\/stats$/, handler: getStats },
  { method: "GET", path: "/api/users/:id", pattern: /^\/api\/users\/([^/]+)$/, handler: getUser },
  {
    method: "GET",
    path: "/api/users/:id/pitches?limit=",
    pattern: /^\/api\/users\/([^/]+)\/pitches$/,
    handler: listUserPitches,
  },
  { method: "POST", path: "/api/pitches", pattern: /^\/api\/pitches$/, handler: createPitch },
];

async function dispatch(request: Request, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    if (route.method !== request.method) {
      allowed.push(route.method);
      continue;
    }
    return await route.handler(request, env, match.slice(1));
  }
  if (allowed.length > 0) {
    return json({ error: "Method not allowed" }, 405, { allow: allowed.join(", ") });
  }
  return json({ error: "Not found" }, 404);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      return await dispatch(request, env);
    } catch (error) {
      if (error instanceof HttpError) {
        return json({ error: error.message }, error.status);
      }
      if (error instanceof DatabaseError) {
        return json({ error: error.message }, 500);
      }
      console.error("Unhandled error:", error);
      return json({ error: "Internal server error" }, 500);
    }
  },
};
