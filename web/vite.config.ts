import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// process is Node's; declared here so the app's type check needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

// LOOKLOOK_API is where `npm run dev` sends RPCs: the launcher (`go run ./cmd/looklook`).
const api = process.env.LOOKLOOK_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // The bundle is committed and embedded in the BFF: no source maps, and a fixed target so
    // the output depends only on the sources and the lockfile.
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // Libraries change with the lockfile, the app with every commit: separate chunks let a
        // browser keep the larger one across deploys.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|react-router|scheduler|cookie)[\\/]/ },
            { name: "connect", test: /node_modules[\\/](@bufbuild[\\/]protobuf|@connectrpc|@tanstack)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      // Connect procedures are /<proto package>.<Service>/<Method>.
      "^/(looklook|grpc)\\.": { target: api, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      "^/(looklook|grpc)\\.": { target: api, changeOrigin: true },
    },
  },
});
