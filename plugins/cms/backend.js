// decap-server's file-system API, its own middleware, on a Unix socket that only the guard (guard.py) reaches.
// decap-server's command would listen on a TCP port, which any web page could reach by DNS rebinding.
"use strict";

const path = require("path");
const { createRequire } = require("module");

const [serverDir, socketPath] = process.argv.slice(2);
// express is decap-server's dependency: resolve it, and the middleware, from decap-server's own folder.
const fromServer = createRequire(path.join(serverDir, "index.js"));
const express = fromServer("express");
const { registerLocalFs } = fromServer("./middlewares.js");

(async () => {
  const app = express();
  app.disable("x-powered-by");
  await registerLocalFs(app, { logLevel: process.env.LOG_LEVEL || "info" });
  app.listen(socketPath, () => console.log(`decap-server (file system) listening on ${socketPath}`));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
