package telemetry_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/platform/testenv"
)

const getUser = "looklook.usercenter.v1.UserService/GetUser"

// users answers GetUser, after asking next for the user when it is set, and logs one line with
// the request's context.
type users struct {
	usercenterv1connect.UnimplementedUserServiceHandler
	next   usercenterv1connect.UserServiceClient
	logger *slog.Logger
}

func (u users) GetUser(ctx context.Context, req *connect.Request[usercenterv1.GetUserRequest]) (*connect.Response[usercenterv1.GetUserResponse], error) {
	u.logger.InfoContext(ctx, "handling", "id", req.Msg.GetId())
	if u.next != nil {
		res, err := u.next.GetUser(ctx, connect.NewRequest(req.Msg))
		if err != nil {
			return nil, err
		}
		return connect.NewResponse(res.Msg), nil
	}
	return connect.NewResponse(&usercenterv1.GetUserResponse{User: &usercenterv1.User{Id: req.Msg.GetId(), Nickname: "n"}}), nil
}

// serve runs h on a real server with the production handler options, interceptor first so the
// request log sees the span, as programs are meant to wire it.
func serve(t *testing.T, h usercenterv1connect.UserServiceHandler, interceptor connect.Interceptor, logger *slog.Logger) (string, *http.Client) {
	t.Helper()
	opts := server.HandlerOptions(logger, server.Interceptors{Tracing: interceptor})
	path, handler := usercenterv1connect.NewUserServiceHandler(h, opts...)
	return testenv.Serve(t, server.Options{
		Logger:   logger,
		Services: []server.Service{{Name: usercenterv1connect.UserServiceName, Path: path, Handler: handler}},
	})
}

// setup returns a Telemetry exporting to a fresh in-memory exporter, shut down after the test.
func setup(t *testing.T, opts telemetry.Options) (*telemetry.Telemetry, *tracetest.InMemoryExporter) {
	t.Helper()
	exporter := tracetest.NewInMemoryExporter()
	opts.SpanExporter = exporter
	tel, err := telemetry.Setup(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := tel.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return tel, exporter
}

// flushed returns the spans tel has ended so far.
func flushed(t *testing.T, tel *telemetry.Telemetry, exporter *tracetest.InMemoryExporter) tracetest.SpanStubs {
	t.Helper()
	if err := tel.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return exporter.GetSpans()
}

// lines is a goroutine-safe log sink.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// records decodes every JSON line written so far.
func (l *lines) records(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestOneTracePerChain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// shared runs the edge and the inner service on one Telemetry, as the launcher does.
		shared   bool
		protocol []connect.ClientOption
	}{
		{name: "separate telemetry, connect", protocol: nil},
		{name: "separate telemetry, grpc", protocol: []connect.ClientOption{connect.WithGRPC()}},
		{name: "shared telemetry, connect", shared: true, protocol: nil},
		{name: "shared telemetry, grpc", shared: true, protocol: []connect.ClientOption{connect.WithGRPC()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logger := testenv.Logger(t)
			innerTel, innerExp := setup(t, telemetry.Options{ServiceName: "usercenter", TrustRemote: true})
			edgeTel, edgeExp := innerTel, innerExp
			edgeHandlers := innerTel.PublicInterceptor()
			if !tc.shared {
				edgeTel, edgeExp = setup(t, telemetry.Options{ServiceName: "bff"})
				edgeHandlers = edgeTel.Interceptor()
			}
			callerTel, callerExp := setup(t, telemetry.Options{ServiceName: "browser"})

			innerURL, hc := serve(t, users{logger: logger}, innerTel.Interceptor(), logger)
			innerClient := usercenterv1connect.NewUserServiceClient(hc, innerURL,
				append([]connect.ClientOption{connect.WithInterceptors(edgeTel.Interceptor())}, tc.protocol...)...)
			edgeURL, hc := serve(t, users{next: innerClient, logger: logger}, edgeHandlers, logger)

			// The caller sends a traceparent of its own, as a browser with tracing might.
			caller := usercenterv1connect.NewUserServiceClient(hc, edgeURL, connect.WithInterceptors(callerTel.Interceptor()))
			res, err := caller.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 7}))
			if err != nil {
				t.Fatal(err)
			}
			if res.Msg.GetUser().GetId() != 7 {
				t.Fatalf("got user %v", res.Msg.GetUser())
			}

			callerSpans := flushed(t, callerTel, callerExp)
			if len(callerSpans) != 1 || callerSpans[0].SpanKind != trace.SpanKindClient {
				t.Fatalf("caller spans: %v", names(callerSpans))
			}
			callerSpan := callerSpans[0].SpanContext

			spans := flushed(t, edgeTel, edgeExp)
			if !tc.shared {
				spans = append(spans, flushed(t, innerTel, innerExp)...)
			}
			var edgeServer, edgeClient, innerServer *tracetest.SpanStub
			for i := range spans {
				s := &spans[i]
				if s.Name != getUser {
					t.Errorf("span %q, want %q", s.Name, getUser)
				}
				switch {
				case s.SpanKind == trace.SpanKindClient:
					edgeClient = s
				case s.SpanKind == trace.SpanKindServer && !s.Parent.IsValid():
					edgeServer = s
				case s.SpanKind == trace.SpanKindServer:
					innerServer = s
				}
			}
			if len(spans) != 3 || edgeServer == nil || edgeClient == nil || innerServer == nil {
				t.Fatalf("want an edge server span (root), an edge client span and an inner server span; got %v", names(spans))
			}

			traceID := edgeServer.SpanContext.TraceID()
			for _, s := range []*tracetest.SpanStub{edgeClient, innerServer} {
				if got := s.SpanContext.TraceID(); got != traceID {
					t.Errorf("%v span is in trace %s, want the edge's %s", s.SpanKind, got, traceID)
				}
			}
			if edgeClient.Parent.SpanID() != edgeServer.SpanContext.SpanID() {
				t.Errorf("edge client span's parent is %s, want the edge server span %s", edgeClient.Parent.SpanID(), edgeServer.SpanContext.SpanID())
			}
			if innerServer.Parent.SpanID() != edgeClient.SpanContext.SpanID() || !innerServer.Parent.IsRemote() {
				t.Errorf("inner server span's parent is %s (remote %v), want the edge client span %s",
					innerServer.Parent.SpanID(), innerServer.Parent.IsRemote(), edgeClient.SpanContext.SpanID())
			}

			// The public edge does not join the caller's trace; it links to it.
			if traceID == callerSpan.TraceID() {
				t.Errorf("the edge joined the caller's trace %s; an untrusted caller must not choose our trace", traceID)
			}
			if len(edgeServer.Links) != 1 || edgeServer.Links[0].SpanContext.SpanID() != callerSpan.SpanID() ||
				edgeServer.Links[0].SpanContext.TraceID() != callerSpan.TraceID() {
				t.Errorf("edge server links %v, want one link to the caller's span %s", edgeServer.Links, callerSpan.SpanID())
			}
			if got := serviceName(edgeServer); tc.shared && got != "usercenter" || !tc.shared && got != "bff" {
				t.Errorf("edge span service.name %q", got)
			}
		})
	}
}

func TestTrustedServerJoinsCallersTrace(t *testing.T) {
	t.Parallel()
	logger := testenv.Logger(t)
	tel, exp := setup(t, telemetry.Options{ServiceName: "usercenter", TrustRemote: true})
	callerTel, callerExp := setup(t, telemetry.Options{ServiceName: "bff"})
	base, hc := serve(t, users{logger: logger}, tel.Interceptor(), logger)

	ctx, root := callerTel.TracerProvider().Tracer("test").Start(context.Background(), "request")
	client := usercenterv1connect.NewUserServiceClient(hc, base, connect.WithInterceptors(callerTel.Interceptor()))
	if _, err := client.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: 1})); err != nil {
		t.Fatal(err)
	}
	root.End()

	callerSpans := flushed(t, callerTel, callerExp)
	spans := flushed(t, tel, exp)
	if len(callerSpans) != 2 || len(spans) != 1 {
		t.Fatalf("caller spans %v, server spans %v", names(callerSpans), names(spans))
	}
	var clientSpan tracetest.SpanStub
	for _, s := range callerSpans {
		if s.SpanKind == trace.SpanKindClient {
			clientSpan = s
		}
	}
	if clientSpan.Parent.SpanID() != root.SpanContext().SpanID() {
		t.Errorf("client span's parent %s, want the caller's span %s", clientSpan.Parent.SpanID(), root.SpanContext().SpanID())
	}
	srv := spans[0]
	if srv.SpanContext.TraceID() != root.SpanContext().TraceID() || srv.Parent.SpanID() != clientSpan.SpanContext.SpanID() {
		t.Errorf("server span in trace %s with parent %s, want trace %s and parent %s",
			srv.SpanContext.TraceID(), srv.Parent.SpanID(), root.SpanContext().TraceID(), clientSpan.SpanContext.SpanID())
	}
}

func TestBaggagePropagates(t *testing.T) {
	t.Parallel()
	tel, _ := setup(t, telemetry.Options{TrustRemote: true})
	var got string
	var mu sync.Mutex
	h := baggageEcho{got: func(v string) { mu.Lock(); got = v; mu.Unlock() }}
	base, hc := serve(t, h, tel.Interceptor(), testenv.Logger(t))
	client := usercenterv1connect.NewUserServiceClient(hc, base, connect.WithInterceptors(tel.Interceptor()))
	req := connect.NewRequest(&usercenterv1.GetUserRequest{Id: 1})
	req.Header().Set("baggage", "tenant=acme")
	if _, err := client.GetUser(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got != "acme" {
		t.Errorf("handler saw baggage tenant=%q, want acme", got)
	}
}

// baggageEcho reports the tenant baggage member of its context.
type baggageEcho struct {
	usercenterv1connect.UnimplementedUserServiceHandler
	got func(string)
}

func (b baggageEcho) GetUser(ctx context.Context, _ *connect.Request[usercenterv1.GetUserRequest]) (*connect.Response[usercenterv1.GetUserResponse], error) {
	b.got(baggageMember(ctx, "tenant"))
	return connect.NewResponse(&usercenterv1.GetUserResponse{}), nil
}

func TestSetupRejectsBadEndpoint(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{"http://%zz", "http://"} {
		if _, err := telemetry.Setup(context.Background(), telemetry.Options{OTLPEndpoint: endpoint}); err == nil {
			t.Errorf("Setup accepted OTLP endpoint %q", endpoint)
		}
	}
}

func TestShutdownTwice(t *testing.T) {
	t.Parallel()
	tel, err := telemetry.Setup(context.Background(), telemetry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
}

func baggageMember(ctx context.Context, key string) string {
	return baggage.FromContext(ctx).Member(key).Value()
}

func names(spans tracetest.SpanStubs) []string {
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		out = append(out, s.SpanKind.String()+" "+s.Name+" parent="+s.Parent.SpanID().String())
	}
	return out
}

func serviceName(s *tracetest.SpanStub) string {
	if s.Resource == nil {
		return ""
	}
	v, _ := s.Resource.Set().Value("service.name")
	return v.AsString()
}

// containsAll reports whether s contains every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
