// As hono/logger has it: an import() esbuild cannot resolve at build time
// (a computed specifier), which it lowers to a run-time require.
const greeting: string = "hello";

export default {
  async fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("module") ?? "x";
    const mod = await import(name);
    return new Response(greeting + mod.default);
  },
};
