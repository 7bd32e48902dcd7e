// node record.mjs <workerd binary> [api ...]: runs probes/<api>.js inside workerd and writes
// answers/<api>.json (every probe file when no api is named).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const [workerd, ...apis] = process.argv.slice(2);
const names = apis.length > 0 ? apis : fs.readdirSync(path.join(here, "probes")).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
});

for (const name of names) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workerdprobe-"));
  fs.copyFileSync(path.join(here, "..", "nodeprobes", "run.js"), path.join(dir, "run.js"));
  fs.copyFileSync(path.join(here, "probes", name + ".js"), path.join(dir, "probe.js"));
  // Modules a probe imports from the bundle: probes/<name>-*.wasm.
  const wasm = fs.readdirSync(path.join(here, "probes")).filter((f) => f.startsWith(name + "-") && f.endsWith(".wasm"));
  for (const f of wasm) fs.copyFileSync(path.join(here, "probes", f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, "worker.js"),
    'import { run } from "./run.js";\nimport { probes } from "./probe.js";\n' +
    "export default { async fetch() { return Response.json(await run(probes)); } };\n");
  const port = await freePort();
  fs.writeFileSync(path.join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"), (name = "run.js", esModule = embed "run.js"), (name = "probe.js", esModule = embed "probe.js")${wasm.map((f) => `, (name = "${f}", wasm = embed "${f}")`).join("")} ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
);
`);
  const child = spawn(workerd, ["serve", path.join(dir, "config.capnp")], { stdio: ["ignore", "inherit", "inherit"] });
  let body;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      body = await r.text();
      if (!r.ok) throw new Error(`workerd answered ${r.status}: ${body}`);
      break;
    } catch (e) {
      if (String(e.message).startsWith("workerd answered")) { child.kill(); throw e; }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  if (body === undefined) throw new Error(`${name}: workerd did not answer`);
  fs.writeFileSync(path.join(here, "answers", name + ".json"), JSON.stringify(JSON.parse(body), null, 1) + "\n");
  fs.rmSync(dir, { recursive: true });
  console.log(`${name}: recorded ${Object.keys(JSON.parse(body)).length} answers`);
}
