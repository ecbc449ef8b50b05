// The floor for the docker.authz/1.0 protocol on this runtime: a bare
// node:http server on a unix socket that reads each request body and allows
// everything. It parses nothing, so its numbers bound what any Node plugin
// can reach with the same load generator. Usage: node floor-server.js SOCKET
import { rmSync } from "node:fs";
import { createServer } from "node:http";

const socket = process.argv[2];
if (socket === undefined) {
  process.stderr.write("usage: floor-server SOCKET\n");
  process.exit(2);
}

const ALLOW = JSON.stringify({ Allow: true, Msg: "" });
const ACTIVATE = JSON.stringify({ Implements: ["authz"] });

const server = createServer((request, response) => {
  request.on("data", () => undefined);
  request.on("end", () => {
    const body = request.url === "/Plugin.Activate" ? ACTIVATE : ALLOW;
    response.writeHead(200, {
      "Content-Type": "application/vnd.docker.plugins.v1+json",
      "Content-Length": Buffer.byteLength(body),
    });
    response.end(body);
  });
});

rmSync(socket, { force: true });
server.listen(socket, () => {
  process.stdout.write("ready\n");
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  rmSync(socket, { force: true });
  process.exit(0);
});
