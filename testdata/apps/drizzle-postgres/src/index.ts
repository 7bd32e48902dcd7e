// drizzle-orm over postgres.js, as Cloudflare's Hyperdrive example writes it:
// postgres(connectionString, { max: 5, fetch_types: false }) per request, ended in ctx.waitUntil.
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { accounts, users } from "./schema";

export interface Env {
  HYPERDRIVE: Hyperdrive;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const client = postgres(env.HYPERDRIVE.connectionString, { max: 5, fetch_types: false });
    const db = drizzle(client);
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname.replace(/\/\d+$/, "/:id")}`;
    try {
      switch (route) {
        case "GET /users/:id": {
          const id = Number(url.pathname.split("/").pop());
          const rows = await db.select().from(users).where(eq(users.id, id));
          if (rows.length === 0) return Response.json({ error: "no such user" }, { status: 404 });
          return Response.json({ user: rows[0], createdAtIsDate: rows[0].createdAt instanceof Date });
        }
        case "GET /users": {
          const ids = url.searchParams.get("ids")!.split(",").map(Number);
          const rows = await db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, ids))
            .orderBy(asc(users.id));
          return Response.json({ users: rows });
        }
        case "POST /users": {
          const { name, email } = (await request.json()) as { name: string; email: string };
          const [user] = await db.insert(users).values({ name, email }).returning({ id: users.id, name: users.name, email: users.email });
          return Response.json({ user }, { status: 201 });
        }
        case "POST /transfer": {
          const { from, to, amount } = (await request.json()) as { from: number; to: number; amount: number };
          try {
            await db.transaction(async (tx) => {
              await tx.update(accounts).set({ balance: sql`${accounts.balance} + ${amount}` }).where(eq(accounts.id, to));
              await tx.update(accounts).set({ balance: sql`${accounts.balance} - ${amount}` }).where(eq(accounts.id, from));
            });
            return Response.json({ committed: true });
          } catch (e: any) {
            const cause = e.cause ?? e;
            return Response.json({ committed: false, code: cause.code, constraint: cause.constraint_name }, { status: 409 });
          }
        }
        default:
          return Response.json({ error: "not found" }, { status: 404 });
      }
    } catch (e: any) {
      return Response.json({ error: e.message, code: e.cause?.code ?? e.code ?? null }, { status: 500 });
    } finally {
      ctx.waitUntil(client.end());
    }
  },
} satisfies ExportedHandler<Env>;
