package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"

	"connectrpc.com/connect"
	"go.opentelemetry.io/otel/trace"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/telemetry"
)

func TestLogLinesCarryTheRequestsTraceID(t *testing.T) {
	t.Parallel()
	var out lines
	logger := telemetry.NewLogger(&out, slog.LevelDebug)
	tel, exp := setup(t, telemetry.Options{ServiceName: "usercenter", TrustRemote: true})
	base, hc := serve(t, users{logger: logger}, tel.Interceptor(), logger)

	for _, protocol := range []connect.ClientOption{connect.WithProtoJSON(), connect.WithGRPC()} {
		client := usercenterv1connect.NewUserServiceClient(hc, base, protocol)
		if _, err := client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 3})); err != nil {
			t.Fatal(err)
		}
	}
	// An invalid request is rejected inside the interceptor chain, and still logged with its trace.
	client := usercenterv1connect.NewUserServiceClient(hc, base)
	_, err := client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 0}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("invalid request: %v", err)
	}

	spans := flushed(t, tel, exp)
	if len(spans) != 3 {
		t.Fatalf("want 3 server spans, got %v", names(spans))
	}
	bySpan := make(map[string]string) // span id → trace id
	for _, s := range spans {
		bySpan[s.SpanContext.SpanID().String()] = s.SpanContext.TraceID().String()
	}

	counts := make(map[string]int)
	for _, rec := range out.records(t) {
		msg, _ := rec["msg"].(string)
		traceID, hasTrace := rec[telemetry.TraceIDKey].(string)
		spanID, _ := rec[telemetry.SpanIDKey].(string)
		switch msg {
		case "handling", "rpc":
			counts[msg]++
			if !hasTrace || bySpan[spanID] != traceID {
				t.Errorf("%q line has trace_id %q span_id %q; want a server span's ids (%v)", msg, traceID, spanID, bySpan)
			}
		default:
			if hasTrace {
				t.Errorf("%q line was logged without a span but has trace_id %q", msg, traceID)
			}
		}
	}
	if counts["handling"] != 2 || counts["rpc"] != 3 {
		t.Errorf("got %v log lines, want 2 handling and 3 rpc", counts)
	}
}

func TestLogHandlerKeepsAttrsAndGroups(t *testing.T) {
	t.Parallel()
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36},
		SpanID:     trace.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7},
		TraceFlags: trace.FlagsSampled,
	})
	traced := trace.ContextWithSpanContext(context.Background(), sc)
	const traceID, spanID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

	cases := []struct {
		name string
		log  func(*slog.Logger)
		want map[string]any
	}{
		{
			name: "no span, no ids",
			log:  func(l *slog.Logger) { l.InfoContext(context.Background(), "m", "a", 1) },
			want: map[string]any{"a": 1.0},
		},
		{
			name: "no context, no ids",
			log:  func(l *slog.Logger) { l.Info("m", "a", 1) },
			want: map[string]any{"a": 1.0},
		},
		{
			name: "span",
			log:  func(l *slog.Logger) { l.InfoContext(traced, "m", "a", 1) },
			want: map[string]any{"a": 1.0, "trace_id": traceID, "span_id": spanID},
		},
		{
			name: "with attrs",
			log:  func(l *slog.Logger) { l.With("svc", "x").InfoContext(traced, "m", "a", 1) },
			want: map[string]any{"svc": "x", "a": 1.0, "trace_id": traceID, "span_id": spanID},
		},
		{
			name: "groups keep the ids at the top level",
			log: func(l *slog.Logger) {
				l.With("svc", "x").WithGroup("req").With("id", 2).WithGroup("inner").InfoContext(traced, "m", "a", 1)
			},
			want: map[string]any{
				"svc": "x", "trace_id": traceID, "span_id": spanID,
				"req": map[string]any{"id": 2.0, "inner": map[string]any{"a": 1.0}},
			},
		},
		{
			name: "group without span",
			log:  func(l *slog.Logger) { l.WithGroup("req").With("id", 2).InfoContext(context.Background(), "m", "a", 1) },
			want: map[string]any{"req": map[string]any{"id": 2.0, "a": 1.0}},
		},
		{
			name: "below the level",
			log:  func(l *slog.Logger) { l.WithGroup("g").DebugContext(traced, "m") },
			want: nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			tc.log(telemetry.NewLogger(&buf, slog.LevelInfo))
			if tc.want == nil {
				if buf.Len() != 0 {
					t.Fatalf("logged %s below the level", buf.String())
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("%q: %v", buf.String(), err)
			}
			delete(got, "time")
			delete(got, "level")
			delete(got, "msg")
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestNewLoggerDefaultsToInfo(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := telemetry.NewLogger(&buf, nil)
	l.Debug("hidden")
	l.Info("shown")
	if bytes.Contains(buf.Bytes(), []byte("hidden")) || !bytes.Contains(buf.Bytes(), []byte("shown")) {
		t.Errorf("got %s", buf.String())
	}
}
