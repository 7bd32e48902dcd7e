import EventEmitter from "events";

export default { fetch() { return new Response(typeof EventEmitter); } };
