// node node-run.mjs probes/<module>.js: prints Node's answers as JSON.
import { run } from "./run.js";
import { pathToFileURL } from "node:url";
import path from "node:path";

const file = process.argv[2];
const { probes } = await import(pathToFileURL(path.resolve(file)).href);
process.stdout.write(JSON.stringify(await run(probes), null, 1) + "\n");
