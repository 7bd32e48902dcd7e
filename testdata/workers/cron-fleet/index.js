// Each tick inserts a row naming the instance that fired it and the tick's
// scheduled time.
export default {
  async scheduled(controller, env) {
    await env.DB.prepare("INSERT INTO ticks (instance, scheduled_at) VALUES (?, ?)")
      .bind(env.INSTANCE, new Date(controller.scheduledTime))
      .run();
  },
  fetch() {
    return new Response("cron-fleet");
  },
};
