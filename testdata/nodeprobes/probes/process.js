// node:process: what Node and a worker agree on (workerd's process has no
// real process behind it: version, argv, pid, cwd and env differ by design;
// nextTick's queue runs as a microtask, so its order against promise
// continuations differs too).
import process from "node:process";
import { nextTick, env, platform } from "node:process";

const tick = () => new Promise((r) => setTimeout(r, 0));

export const probes = {
  "process: shape": () => ({
    named: [typeof nextTick, typeof env, platform],
    tag: Object.prototype.toString.call(process),
    types: ["version", "versions", "platform", "arch", "argv", "env", "pid", "ppid", "title", "release", "features", "execArgv",
      "nextTick", "cwd", "chdir", "exit", "abort", "hrtime", "uptime", "memoryUsage", "emitWarning", "on", "once", "off", "emit",
      "removeListener", "removeAllListeners", "listeners", "listenerCount", "stdout", "stderr", "getBuiltinModule", "umask", "cpuUsage"]
      .map((k) => [k, typeof process[k]]),
    version: /^v\d+\.\d+\.\d+$/.test(process.version) && process.versions.node === process.version.slice(1),
    argv: Array.isArray(process.argv), release: process.release.name, cwd: typeof process.cwd(), arch: process.arch,
    hrtimeBigint: typeof process.hrtime.bigint(), ids: [typeof process.pid, typeof process.ppid],
    memory: Object.keys(process.memoryUsage()).sort(), uptime: typeof process.uptime(),
    stdio: [process.stdout.fd, process.stderr.fd, typeof process.stdout.write],
  }),
  "process: nextTick order": async () => {
    const order = [];
    process.nextTick(() => {
      order.push("a");
      process.nextTick(() => order.push("c"));
    });
    process.nextTick((x, y) => order.push("d" + x + y), 1, 2);
    await tick();
    return order;
  },
  "process: nextTick args": async () => {
    let got;
    process.nextTick((...args) => { got = args; }, "x", 2);
    await tick();
    return got;
  },
  "process: nextTick bad callback": () => process.nextTick("nope"),
  "process: nextTick throwing callback": async () => {
    const order = [];
    // the other ticks still run (the error is reported as uncaught)
    const handler = () => order.push("caught");
    process.on("uncaughtException", handler);
    try {
      process.nextTick(() => { order.push("1"); throw new Error("boom"); });
      process.nextTick(() => order.push("2"));
    } finally {
      await tick();
      process.off("uncaughtException", handler);
    }
    return order;
  },
  "process: env coerces values to strings": () => {
    process.env.EDGERUN_PROBE = 42;
    process.env.EDGERUN_PROBE_B = true;
    const got = [process.env.EDGERUN_PROBE, process.env.EDGERUN_PROBE_B, typeof process.env.EDGERUN_PROBE, "EDGERUN_PROBE" in process.env];
    delete process.env.EDGERUN_PROBE;
    delete process.env.EDGERUN_PROBE_B;
    got.push(process.env.EDGERUN_PROBE, typeof process.env.NOT_THERE_AT_ALL);
    return got;
  },
  "process: hrtime": () => {
    const t = process.hrtime();
    const d = process.hrtime(t);
    return [t.length, Number.isInteger(t[0]), Number.isInteger(t[1]) && t[1] < 1e9, d.length, d[0] >= 0 && d[0] < 2];
  },
  "process: hrtime bad argument": () => process.hrtime(5),
  "process: hrtime bad length": () => process.hrtime([1]),
  "process: events": () => {
    const seen = [];
    const f = (x) => seen.push("on " + x);
    process.on("edgerun-probe", f);
    process.once("edgerun-probe", (x) => seen.push("once " + x));
    const first = process.emit("edgerun-probe", 1);
    process.emit("edgerun-probe", 2);
    const count = process.listenerCount("edgerun-probe");
    process.off("edgerun-probe", f);
    return [seen, first, count, process.emit("edgerun-probe", 3), process.listenerCount("edgerun-probe")];
  },
  "process: emitWarning": async () => {
    const got = [];
    const h = (w) => got.push([w.name, w.message, w.code, w instanceof Error]);
    process.on("warning", h);
    process.emitWarning("plain");
    process.emitWarning("typed", "CustomWarning", "CODE1");
    process.emitWarning("opts", { type: "OptsWarning", code: "CODE2", detail: "d" });
    const e = new Error("as error");
    process.emitWarning(e);
    await tick();
    process.off("warning", h);
    return got;
  },
  "process: emitWarning bad": () => process.emitWarning(5),
  "process: getBuiltinModule": () => [typeof process.getBuiltinModule("node:path").join, typeof process.getBuiltinModule("path").join,
    process.getBuiltinModule("no-such-module")],
  "process: stdout write": () => [process.stdout.write(""), typeof process.stderr.write],
};
