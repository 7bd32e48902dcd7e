// Uses every binding and var of wrangler.toml as its generated types allow:
// tsc must report no error here (cmd/edgerun's TestTypesCheckWithTsc).
interface Row {
  id: number;
  name: string;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const greeting: "hello" | "hi from staging" = env.GREETING;
    const limit: number = env.MAX_ITEMS;
    const tiers: readonly string[] = env.FEATURES.tiers;
    const debug: boolean = env.DEBUG;
    const token: string = env.API_TOKEN;

    const stmt = env.DB.prepare("SELECT id, name FROM items WHERE name = ? LIMIT ?");
    const row = await stmt.bind(greeting, limit).first<Row>();
    const name = await stmt.bind(greeting, limit).first<string>("name");
    const { results, meta } = await stmt.bind(greeting, limit).all<Row>();
    const served: "primary" | "replica" | "fallback" | "cache" = meta.served_by;
    await env.DB.prepare("UPDATE items SET seen = now()").withoutCache().run();
    const [columns, ...rows] = await env.DB.prepare("SELECT 1 AS one").raw({ columnNames: true });
    const plain: unknown[][] = await env.DB.prepare("SELECT 1").raw();
    const batch = await env.DB.batch([stmt.bind("a", 1), stmt.bind("b", 2)]);
    const exec = await env.DB.exec("SELECT 1; SELECT 2");
    const url: string = env.DB.connectionString;
    const port: number = env.DB.port;

    try {
      await env.DB.prepare("INSERT INTO items (id) VALUES (?)").bind(1n).run();
    } catch (e) {
      const code: string | undefined = (e as HyperdriveError).code;
      console.log(code);
    }

    const cached = await env.CACHE.get("key", "json");
    const object = await env.FILES.get("key");
    ctx.waitUntil(env.CACHE.put("seen", String(Date.now())));
    const fromProcess: string | undefined = process.env.GREETING;
    // Declared though edgerun does not run them (as wrangler types declares them).
    if (env.AUTH) await env.AUTH.fetch(request);
    if (env.JOBS) await env.JOBS.send({ job: "x" });
    const room = env.ROOMS?.idFromName("lobby");

    return Response.json({
      row: row?.name, name, count: results.length, served, columns, rows, plain, batch: batch.length,
      statements: exec.count, url: url.length, port, cached, object: object?.key, tiers, debug, token,
      fromProcess, room: room?.toString(),
    });
  },
};
