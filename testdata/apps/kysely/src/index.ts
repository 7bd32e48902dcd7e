// Kysely with its PostgresDialect over pg's Pool on env.HYPERDRIVE.connectionString,
// destroyed in ctx.waitUntil.
import { Kysely, PostgresDialect, sql, type Generated } from "kysely";
import { Pool } from "pg";

interface Database {
  users: { id: Generated<number>; name: string; email: string; created_at: Generated<Date> };
  accounts: { id: number; owner: string; balance: number };
}

export interface Env {
  HYPERDRIVE: Hyperdrive;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new Pool({ connectionString: env.HYPERDRIVE.connectionString, max: 5 }),
      }),
    });
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname.replace(/\/\d+$/, "/:id")}`;
    try {
      switch (route) {
        case "GET /users/:id": {
          const id = Number(url.pathname.split("/").pop());
          const user = await db
            .selectFrom("users")
            .select(["id", "name", "email", "created_at"])
            .where("id", "=", id)
            .executeTakeFirst();
          if (!user) return Response.json({ error: "no such user" }, { status: 404 });
          return Response.json({ user, createdAtIsDate: user.created_at instanceof Date });
        }
        case "GET /users": {
          const ids = url.searchParams.get("ids")!.split(",").map(Number);
          const users = await db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).orderBy("id").execute();
          return Response.json({ users });
        }
        case "POST /users": {
          const { name, email } = (await request.json()) as { name: string; email: string };
          const user = await db
            .insertInto("users")
            .values({ name, email })
            .returning(["id", "name", "email"])
            .executeTakeFirstOrThrow();
          return Response.json({ user }, { status: 201 });
        }
        case "POST /transfer": {
          const { from, to, amount } = (await request.json()) as { from: number; to: number; amount: number };
          try {
            await db.transaction().execute(async (trx) => {
              await trx.updateTable("accounts").set({ balance: sql`balance + ${amount}` }).where("id", "=", to).execute();
              await trx.updateTable("accounts").set({ balance: sql`balance - ${amount}` }).where("id", "=", from).execute();
            });
            return Response.json({ committed: true });
          } catch (e: any) {
            return Response.json({ committed: false, code: e.code, constraint: e.constraint }, { status: 409 });
          }
        }
        default:
          return Response.json({ error: "not found" }, { status: 404 });
      }
    } catch (e: any) {
      return Response.json({ error: e.message, code: e.code ?? null }, { status: 500 });
    } finally {
      ctx.waitUntil(db.destroy());
    }
  },
} satisfies ExportedHandler<Env>;
