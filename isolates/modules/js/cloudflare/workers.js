// cloudflare:workers: the worker's env and waitUntil outside a handler's
// arguments, and the classes workers extend (WorkerEntrypoint is served;
// DurableObject, WorkflowEntrypoint and RpcTarget can be imported and
// extended, and a binding that needs them is refused at start).
"use strict";

class WorkerEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
class DurableObject {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
class WorkflowEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
class RpcTarget {}

for (const [cls, kind] of [[WorkerEntrypoint, "WorkerEntrypoint"], [DurableObject, "DurableObject"], [WorkflowEntrypoint, "WorkflowEntrypoint"], [RpcTarget, "RpcTarget"]]) {
  Object.defineProperty(cls, Symbol.for("edgerun.entrypointKind"), { value: kind });
}

module.exports = {
  env: internal.env,
  waitUntil: (promise) => internal.waitUntil(promise),
  WorkerEntrypoint,
  DurableObject,
  WorkflowEntrypoint,
  RpcTarget,
};
