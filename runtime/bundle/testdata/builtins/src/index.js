import { Buffer } from "node:buffer";
import { connect } from "cloudflare:sockets";

export default { fetch() { return new Response(typeof Buffer + typeof connect); } };
