package telemetry

import (
	"context"
	"io"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// Log attribute keys for the span of the context a record was logged with.
const (
	TraceIDKey = "trace_id"
	SpanIDKey  = "span_id"
)

// NewLogger returns a JSON logger writing to w at level (nil means Info) whose records logged
// with a context (InfoContext, LogAttrs…) carry that context's trace_id and span_id.
func NewLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(NewLogHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})))
}

// NewLogHandler wraps inner so that every record whose context holds a valid span gets
// trace_id and span_id attributes, which join a log line to its trace in the tracing UI.
// The attributes stay at the top level even on a logger made with WithGroup.
func NewLogHandler(inner slog.Handler) slog.Handler {
	return &logHandler{base: inner, full: inner}
}

// logHandler keeps the handler as it was before the first WithGroup (base) and the calls made
// since (after), so it can put the trace attributes outside every group: they are added to
// base and the calls replayed. Without groups, the record itself takes them, which is cheap.
type logHandler struct {
	base  slog.Handler
	after []func(slog.Handler) slog.Handler
	// full is base with after applied, for records without a span and for Enabled.
	full slog.Handler
}

func (h *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.full.Enabled(ctx, level)
}

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return h.full.Handle(ctx, r)
	}
	traceID := slog.String(TraceIDKey, sc.TraceID().String())
	spanID := slog.String(SpanIDKey, sc.SpanID().String())
	if len(h.after) == 0 {
		r = r.Clone()
		r.AddAttrs(traceID, spanID)
		return h.base.Handle(ctx, r)
	}
	inner := h.base.WithAttrs([]slog.Attr{traceID, spanID})
	for _, apply := range h.after {
		inner = apply(inner)
	}
	return inner.Handle(ctx, r)
}

func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	if len(h.after) == 0 {
		next := h.base.WithAttrs(attrs)
		return &logHandler{base: next, full: next}
	}
	return h.then(func(inner slog.Handler) slog.Handler { return inner.WithAttrs(attrs) })
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.then(func(inner slog.Handler) slog.Handler { return inner.WithGroup(name) })
}

// then returns a handler with one more call recorded after the first group.
func (h *logHandler) then(apply func(slog.Handler) slog.Handler) *logHandler {
	after := make([]func(slog.Handler) slog.Handler, len(h.after), len(h.after)+1)
	copy(after, h.after)
	return &logHandler{base: h.base, after: append(after, apply), full: apply(h.full)}
}
