package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/validate"

	"github.com/looklook/looklook/platform/rpcerror"
)

// maxRequestBytes bounds a request message; nothing in our APIs is close to it.
const maxRequestBytes = 1 << 20

// compressMinBytes is the smallest answer compressed for a client that accepts gzip. Connect
// would otherwise compress every answer: for the few hundred bytes of a typical one, gzip's
// per-call state reset costs more CPU than the bytes it saves take to send (measured in
// docs/benchmarks.md), and the result is barely smaller.
const compressMinBytes = 1024

// Interceptors are a program's own interceptors, placed around the built-in ones.
type Interceptors struct {
	// Tracing runs outermost, so the request log and everything after it see the call's span
	// (and log its trace id). nil means none.
	Tracing connect.Interceptor
	// Auth runs after the request log and before validation, so a caller without a valid token
	// is logged but learns nothing about what a valid request looks like. nil means none.
	Auth connect.Interceptor
}

// HandlerOptions are the options every looklook handler is built with: tracing, request logs
// with public-safe errors, authentication, protovalidate validation, panic recovery and a
// request size limit, in that order; answers under compressMinBytes are never compressed.
func HandlerOptions(logger *slog.Logger, ic Interceptors) []connect.HandlerOption {
	var interceptors []connect.Interceptor
	if ic.Tracing != nil {
		interceptors = append(interceptors, ic.Tracing)
	}
	interceptors = append(interceptors, &logInterceptor{logger: logger})
	if ic.Auth != nil {
		interceptors = append(interceptors, ic.Auth)
	}
	interceptors = append(interceptors, validate.NewInterceptor())
	return []connect.HandlerOption{
		connect.WithInterceptors(interceptors...),
		connect.WithRecover(func(ctx context.Context, spec connect.Spec, _ http.Header, p any) error {
			logger.ErrorContext(ctx, "panic in handler", "procedure", spec.Procedure,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			return rpcerror.InternalError()
		}),
		connect.WithReadMaxBytes(maxRequestBytes),
		connect.WithCompressMinBytes(compressMinBytes),
	}
}

// logInterceptor writes one JSON log line per call and is the last line of defence against
// leaking internal error text: an error that is not a *connect.Error, or one with an
// internal-looking code, is logged in full and replaced by a generic Internal error.
type logInterceptor struct {
	logger *slog.Logger
}

func (l *logInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		start := time.Now()
		res, err := next(ctx, req)
		err = l.finish(ctx, req.Spec().Procedure, req.Peer().Addr, start, err)
		return res, err
	}
}

func (l *logInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (l *logInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		start := time.Now()
		err := next(ctx, conn)
		return l.finish(ctx, conn.Spec().Procedure, conn.Peer().Addr, start, err)
	}
}

func (l *logInterceptor) finish(ctx context.Context, procedure, peer string, start time.Time, err error) error {
	attrs := []slog.Attr{
		slog.String("procedure", procedure),
		slog.String("peer", peer),
		slog.Duration("duration", time.Since(start)),
	}
	if err == nil {
		attrs = append(attrs, slog.String("code", "ok"))
		l.logger.LogAttrs(ctx, slog.LevelInfo, "rpc", attrs...)
		return nil
	}
	err = rpcerror.Public(err)
	code := connect.CodeOf(err)
	attrs = append(attrs, slog.String("code", code.String()))
	level := slog.LevelInfo
	switch code {
	case connect.CodeInternal, connect.CodeUnknown, connect.CodeDataLoss:
		level = slog.LevelError
		attrs = append(attrs, slog.String("error", fmt.Sprint(rpcerror.Cause(err))))
	case connect.CodeUnavailable, connect.CodeDeadlineExceeded:
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", fmt.Sprint(rpcerror.Cause(err))))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.logger.LogAttrs(ctx, level, "rpc", attrs...)
	return err
}
