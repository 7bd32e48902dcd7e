import { greet, explode } from "./greet";

class Counter {
  #n = 0;
  static label = "counter";
  next(): number {
    return ++this.#n;
  }
}
const counter = new Counter();

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/explode") {
      explode();
    }
    const name = url.searchParams.get("name") ?? "world";
    return Response.json({ ...greet(name), count: counter.next(), label: Counter.label });
  },
} satisfies ExportedHandler;

interface ExportedHandler {
  fetch(request: Request): Promise<Response>;
}
