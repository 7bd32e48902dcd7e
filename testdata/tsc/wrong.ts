// Misuses the generated types: tsc must report exactly the errors marked
// "// expect TSnnnn" (on the line they follow), proving the types are not
// any (cmd/edgerun's TestTypesCheckWithTsc).
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // a method the statement does not have
    const a = await env.DB.prepare("SELECT 1").firstRow(); // expect TS2339
    // prepare takes one SQL string
    env.DB.prepare(); // expect TS2554
    env.DB.prepare(42); // expect TS2345
    // bind's values are SQL values, not functions
    env.DB.prepare("SELECT ?").bind(() => 1); // expect TS2345
    // first<T>() is T | null: null must be handled
    const row = await env.DB.prepare("SELECT 1 AS n").first<{ n: number }>();
    const n: number = row.n; // expect TS18047
    // all() results are T[], not T
    const { results } = await env.DB.prepare("SELECT 1 AS n").all<{ n: number }>();
    const one: { n: number } = results; // expect TS2741
    // exec returns { count, duration }
    const rows = (await env.DB.exec("SELECT 1")).results; // expect TS2339
    // batch wants statements, not SQL
    await env.DB.batch(["SELECT 1"]); // expect TS2322
    // vars are typed by their values
    const g: "bye" = env.GREETING; // expect TS2322
    const m: string = env.MAX_ITEMS; // expect TS2322
    // a binding wrangler.toml does not have
    env.MISSING.get("x"); // expect TS2339
    // a queue producer sends a message
    await env.JOBS.send(); // expect TS2554
    // the connection properties are read-only
    env.DB.port = 1; // expect TS2540
    return Response.json({ a, n, one, rows });
  },
};
