// Package server runs a looklook program's Connect services.
//
// One port serves the Connect protocol, gRPC and gRPC-Web over HTTP/1.1 and unencrypted HTTP/2
// (h2c), together with gRPC reflection (for grpcurl and buf curl) and gRPC health checks. Every
// handler built with HandlerOptions validates requests with protovalidate, logs each call as a
// JSON line, turns panics into Internal errors and never lets internal error text reach a client.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"
)

// Service is a mounted Connect service: what a generated New<Service>Handler returns, with its
// fully-qualified name for reflection and health.
type Service struct {
	// Name is the service's fully-qualified protobuf name, e.g. identityv1connect.IdentityServiceName.
	Name string
	// Path is the URL path prefix returned by the generated constructor.
	Path string
	// Handler serves the service.
	Handler http.Handler
}

// Options configures Run.
type Options struct {
	// Name names the program in logs.
	Name string
	// Addr is the TCP address to listen on, such as ":8080". Ignored when Listener is set.
	Addr string
	// Listener, when set, is used instead of listening on Addr; the launcher passes loopback
	// listeners it opened beforehand so it knows every address before anything starts.
	Listener net.Listener
	// Logger receives the server's logs.
	Logger *slog.Logger
	// Services are the Connect services to serve.
	Services []Service
	// Routes are extra plain HTTP handlers by mux pattern, such as the web app at "/".
	Routes map[string]http.Handler
	// Wrap, when set, wraps the whole handler; the BFF puts CORS here.
	Wrap func(http.Handler) http.Handler
	// ShutdownTimeout bounds how long in-flight requests may take to finish after ctx is done.
	// Zero means 10s.
	ShutdownTimeout time.Duration
	// OnListen, when set, is called with the bound address once the server accepts connections.
	OnListen func(net.Addr)
}

// HTTP server limits. They are explicit because the zero values of http.Server mean "no limit",
// which lets a slow or hostile client hold connections and memory forever.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

// Run serves until ctx is done, then stops accepting connections, reports NOT_SERVING to health
// checks and waits up to ShutdownTimeout for in-flight requests. It returns nil after a clean
// shutdown.
func Run(ctx context.Context, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ShutdownTimeout == 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	ln := opts.Listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", opts.Addr)
		if err != nil {
			return fmt.Errorf("%s: listen on %s: %w", opts.Name, opts.Addr, err)
		}
	}

	names := make([]string, 0, len(opts.Services))
	mux := http.NewServeMux()
	for _, s := range opts.Services {
		names = append(names, s.Name)
		mux.Handle(s.Path, s.Handler)
	}
	health := grpchealth.NewStaticChecker(names...)
	mux.Handle(grpchealth.NewHandler(health))
	reflector := grpcreflect.NewStaticReflector(names...)
	mux.Handle(grpcreflect.NewHandlerV1(reflector))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector))
	for pattern, h := range opts.Routes {
		mux.Handle(pattern, h)
	}

	var handler http.Handler = mux
	if opts.Wrap != nil {
		handler = opts.Wrap(handler)
	}

	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{
		Handler:           handler,
		Protocols:         protocols,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		HTTP2: &http.HTTP2Config{
			MaxConcurrentStreams: 250,
			MaxReadFrameSize:     1 << 20,
		},
		ErrorLog: slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	opts.Logger.Info("listening", "program", opts.Name, "addr", ln.Addr().String(), "services", names)
	if opts.OnListen != nil {
		opts.OnListen(ln.Addr())
	}

	select {
	case err := <-errc:
		return fmt.Errorf("%s: serve: %w", opts.Name, err)
	case <-ctx.Done():
	}

	// Tell load balancers and probes to stop sending traffic before the listener closes.
	for _, n := range names {
		health.SetStatus(n, grpchealth.StatusNotServing)
	}
	health.SetStatus("", grpchealth.StatusNotServing)
	opts.Logger.Info("shutting down", "program", opts.Name, "timeout", opts.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("%s: graceful shutdown: %w", opts.Name, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%s: serve: %w", opts.Name, err)
	}
	opts.Logger.Info("stopped", "program", opts.Name)
	return nil
}
