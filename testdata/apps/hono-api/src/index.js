import { Hono } from "hono";

const app = new Hono();
const resources = ["users", "teams", "projects", "pitches", "comments", "tags", "files", "events", "orders"];
for (const r of resources) {
  app.get(`/api/${r}`, (c) => c.json({ resource: r, items: [] }));
  app.get(`/api/${r}/:id`, (c) => c.json({ resource: r, id: Number(c.req.param("id")), name: `${r} ${c.req.param("id")}` }));
}
app.post("/api/users", async (c) => c.json(await c.req.json(), 201));
app.get("/health", (c) => c.json({ ok: true }));
app.notFound((c) => c.json({ error: "not found" }, 404));

export default app;
