// As hono/logger leaves it: an import() esbuild cannot resolve at build
// time stays in the bundle, and goja cannot parse import().
const greeting: string = "hello";

export default {
  async fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("module") ?? "x";
    const mod = await import(name);
    return new Response(greeting + mod.default);
  },
};
