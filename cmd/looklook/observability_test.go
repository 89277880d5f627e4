package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/platform/telemetry"
)

// TestOneCallOneTrace checks that a BFF call and the internal calls it makes form one trace.
func TestOneCallOneTrace(t *testing.T) {
	t.Parallel()
	exporter := tracetest.NewInMemoryExporter()
	tel, err := telemetry.Setup(context.Background(), telemetry.Options{ServiceName: "looklook-test", SpanExporter: exporter, TrustRemote: true})
	if err != nil {
		t.Fatal(err)
	}
	sys := startSystem(t, systemOptions{backend: "sqlite", telemetry: tel})
	c := newClients(sys.hc, sys.bff)
	register(t, c, "13966660001", "Traced")
	if err := tel.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}

	spans := exporter.GetSpans()
	var root *tracetest.SpanStub
	for i := range spans {
		if spans[i].Name == "looklook.bff.v1.AccountService/Register" && spans[i].SpanKind.String() == "server" {
			root = &spans[i]
		}
	}
	if root == nil {
		t.Fatalf("no BFF server span among %d spans", len(spans))
	}
	inTrace := map[string]bool{}
	for _, s := range spans {
		if s.SpanContext.TraceID() == root.SpanContext.TraceID() {
			inTrace[s.SpanKind.String()+" "+s.Name] = true
		}
	}
	for _, want := range []string{
		"server looklook.usercenter.v1.UserService/Register",
		"server looklook.travel.v1.TravelService/GetBusinessByOwner",
		"server looklook.identity.v1.IdentityService/IssueTokens",
		"client looklook.identity.v1.IdentityService/IssueTokens",
	} {
		if !inTrace[want] {
			t.Errorf("the Register trace lacks %q; it has %v", want, inTrace)
		}
	}
}

// TestMetricsEndpoint checks the launcher's /metrics exposes RPC metrics and the caches' counters.
func TestMetricsEndpoint(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sys := startSystem(t, systemOptions{backend: "sqlite", seedDemo: true, metrics: ln})
	c := newClients(sys.hc, sys.bff)
	for range 3 {
		get(c.homestay.GetHomestay(context.Background(), connect.NewRequest(&bffv1.GetHomestayRequest{Id: 1}))).must(t, "GetHomestay")
	}
	res, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	text := string(body)
	for _, want := range []string{
		`looklook_cache_hits_total{cache="travel:homestay",tier="l1"}`,
		`looklook_cache_loads_total{cache="travel:homestay"}`,
		`looklook_cache_hits_total{cache="usercenter:user",tier="l1"}`,
		`looklook_cache_invalidations_total{cache="travel:homestay"}`,
		`rpc_server_call_duration_seconds_count{`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "looklook_cache") {
				t.Log(line)
			}
		}
	}
}
