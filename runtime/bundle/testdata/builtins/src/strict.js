// ES modules are strict: a plain function called without a receiver sees
// undefined, as under workerd (and wrangler's ESM bundle).
export default { fetch() { return (function () { return this; })() === undefined; } };
