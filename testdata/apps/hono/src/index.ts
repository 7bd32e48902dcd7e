// A Hono app as the Workers templates write one: hono/logger middleware, routes with
// parameters and JSON bodies, and the env read through `cloudflare:workers` as well as c.env.
import { Hono } from "hono";
import { logger } from "hono/logger";
import { env } from "cloudflare:workers";

type Bindings = { GREETING: string };

const app = new Hono<{ Bindings: Bindings }>();

app.use(logger());

app.get("/", (c) => c.text(`${env.GREETING}!`));

app.get("/hello/:name", (c) =>
  c.json({
    name: c.req.param("name"),
    greeting: env.GREETING,
    sameEnv: c.env.GREETING === env.GREETING,
    query: c.req.query("q") ?? null,
  }),
);

app.post("/sum", async (c) => {
  const { numbers } = await c.req.json<{ numbers: number[] }>();
  return c.json({ sum: numbers.reduce((a, b) => a + b, 0), count: numbers.length }, 201);
});

app.notFound((c) => c.json({ error: "not found", path: c.req.path }, 404));

export default app;
