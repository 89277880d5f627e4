package telemetry_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/platform/testenv"
)

// lineWriter sends each log line to a channel, so a test can wait for one without polling.
// Lines nobody waits for any more are dropped rather than block the server.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	select {
	case w <- string(p):
	default:
	}
	return len(p), nil
}

// serveMetrics runs ServeMetrics on a free loopback port until the test ends and returns its
// base URL, read from the "metrics listening" log line.
func serveMetrics(t *testing.T, h http.Handler) string {
	t.Helper()
	logs := make(lineWriter, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- telemetry.ServeMetrics(ctx, "127.0.0.1:0", h, slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeMetrics: %v", err)
		}
	})
	for {
		select {
		case err := <-done:
			t.Fatalf("ServeMetrics returned early: %v", err)
		case line := <-logs:
			var rec struct{ Msg, Addr string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			if rec.Msg == "metrics listening" {
				return "http://" + rec.Addr
			}
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

func TestMetricsOverHTTP(t *testing.T) {
	t.Parallel()
	tel, _ := setup(t, telemetry.Options{ServiceName: "metrics-test", TrustRemote: true})
	// The cache's counters stand in for every collector a program adds.
	hits := prometheus.NewCounter(prometheus.CounterOpts{Name: "looklook_test_hits_total", Help: "Test hits."})
	tel.Registry().MustRegister(hits)
	hits.Add(3)

	logger := testenv.Logger(t)
	base, hc := serve(t, users{logger: logger}, tel.Interceptor(), logger)
	client := usercenterv1connect.NewUserServiceClient(hc, base, connect.WithInterceptors(tel.Interceptor()))
	if _, err := client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 1})); err != nil {
		t.Fatal(err)
	}
	grpcClient := usercenterv1connect.NewUserServiceClient(hc, base, connect.WithGRPC(), connect.WithInterceptors(tel.Interceptor()))
	if _, err := grpcClient.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 0})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("invalid request: %v", err)
	}

	url := serveMetrics(t, tel.MetricsHandler())
	status, body := get(t, url+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", status, body)
	}
	if testing.Verbose() {
		t.Log(body)
	}
	method := `rpc_method="` + getUser + `"`
	want := []struct {
		name  string
		parts []string
	}{
		{"server call, connect, ok", []string{"rpc_server_call_duration_seconds_count{", method, `rpc_system_name="connectrpc"`, "} 1"}},
		{"server call, grpc, invalid", []string{"rpc_server_call_duration_seconds_count{", method, `rpc_system_name="grpc"`, `rpc_response_status_code="INVALID_ARGUMENT"`, "} 1"}},
		{"client call", []string{"rpc_client_call_duration_seconds_count{", method, "} 1"}},
		{"histogram buckets", []string{"rpc_server_call_duration_seconds_bucket{", method, `le="0.005"`}},
		{"custom counter", []string{"looklook_test_hits_total 3"}},
		{"go runtime", []string{"go_goroutines "}},
		{"process", []string{"process_cpu_seconds_total "}},
		{"resource", []string{"target_info{", `service_name="metrics-test"`}},
	}
	for _, w := range want {
		if !hasLine(body, w.parts...) {
			t.Errorf("%s: no line with %q in\n%s", w.name, w.parts, body)
		}
	}

	if status, body := get(t, url+"/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz: %d %q", status, body)
	}
	if status, _ := get(t, url+"/"); status != http.StatusNotFound {
		t.Errorf("GET /: %d, want 404", status)
	}
}

func hasLine(body string, parts ...string) bool {
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") && containsAll(sc.Text(), parts...) {
			return true
		}
	}
	return false
}

func TestServeMetricsDisabledAndListenError(t *testing.T) {
	t.Parallel()
	ctx := context.Background() // never done: an empty address must return at once
	if err := telemetry.ServeMetrics(ctx, "", http.NotFoundHandler(), nil); err != nil {
		t.Fatalf("empty addr: %v", err)
	}
	if err := telemetry.ServeMetrics(ctx, "127.0.0.1:-1", http.NotFoundHandler(), testenv.Logger(t)); err == nil {
		t.Fatal("bad addr: no error")
	}
}

func TestSetupWithCallersRegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	// A registry that already exports the Go runtime metrics is not refused.
	reg.MustRegister(collectors.NewGoCollector())
	tel, _ := setup(t, telemetry.Options{Registry: reg})
	if tel.Registry() != reg {
		t.Fatal("Registry() is not the registry passed in")
	}
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
}
