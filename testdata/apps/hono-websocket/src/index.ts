// Hono's upgradeWebSocket (hono/cloudflare-workers), unmodified, served by edgerun and driven
// over a real WebSocket by runtime/websocket_test.go.
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/cloudflare-workers";

const closes: { code: number; reason: string }[] = [];
const app = new Hono();

app.get(
  "/ws",
  upgradeWebSocket(() => ({
    onMessage(event, ws) {
      ws.send(`hono echo: ${event.data}`);
    },
    onClose(event) {
      closes.push({ code: event.code, reason: event.reason });
    },
  })),
);
app.get("/closes", (c) => c.json(closes));

export default app;
