const runs = [];

export default {
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(new Promise((r) => setTimeout(r, 5)).then(() => runs.push("waited:" + controller.cron)));
    runs.push(`${controller.cron}@${new Date(controller.scheduledTime).toISOString()}`);
    if (controller.cron === "fail") throw new Error("scheduled boom");
  },
  fetch() {
    return Response.json(runs);
  },
};
