// Package platform holds what every looklook program shares. It has no code of its own; its
// packages are:
//
//   - config: environment variables with defaults and errors that name the variable;
//   - server: the Connect/gRPC/gRPC-Web server bootstrap (h2c, reflection, health, validation,
//     request logs, panic recovery, timeouts, graceful shutdown);
//   - rpcerror: turning errors into Connect errors with public messages;
//   - rpcclient: HTTP/2 cleartext clients for service-to-service calls;
//   - database: opening PostgreSQL (lib/pq) or SQLite (pure Go) for Ent;
//   - cache: the two-tier (ristretto L1, Redis L2) read-through cache;
//   - testenv: fresh PostgreSQL databases and Redis key prefixes for tests.
package platform
