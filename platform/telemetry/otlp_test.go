package telemetry_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/telemetry"
	"github.com/looklook/looklook/platform/testenv"
)

// collector is a fake OTLP/HTTP collector: a real HTTP server that records what it receives.
type collector struct {
	mu       sync.Mutex
	requests []received
}

type received struct {
	method, path, contentType string
	export                    *collectortrace.ExportTraceServiceRequest
	err                       error
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := received{method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type")}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			rec.err = err
		}
		body = zr
	}
	if rec.err == nil {
		data, err := io.ReadAll(body)
		rec.export = new(collectortrace.ExportTraceServiceRequest)
		if err == nil {
			err = proto.Unmarshal(data, rec.export)
		}
		rec.err = err
	}
	c.mu.Lock()
	c.requests = append(c.requests, rec)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

func TestOTLPExport(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		endpoint func(base string) string
		path     string
	}{
		{name: "base URL", endpoint: func(b string) string { return b }, path: "/v1/traces"},
		{name: "host:port", endpoint: func(b string) string { return strings.TrimPrefix(b, "http://") }, path: "/v1/traces"},
		{name: "base URL with a path", endpoint: func(b string) string { return b + "/otlp/" }, path: "/otlp/v1/traces"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			col := new(collector)
			fake := httptest.NewServer(col)
			defer fake.Close()

			tel, err := telemetry.Setup(context.Background(), telemetry.Options{
				ServiceName:  "otlp-test",
				OTLPEndpoint: tc.endpoint(fake.URL),
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
			logger := testenv.Logger(t)
			base, hc := serve(t, users{logger: logger}, tel.Interceptor(), logger)
			client := usercenterv1connect.NewUserServiceClient(hc, base)
			if _, err := client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: 5})); err != nil {
				t.Fatal(err)
			}
			if err := tel.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}

			col.mu.Lock()
			defer col.mu.Unlock()
			if len(col.requests) == 0 {
				t.Fatal("the collector received nothing")
			}
			var spans []string
			for _, r := range col.requests {
				if r.method != http.MethodPost || r.path != tc.path || r.contentType != "application/x-protobuf" || r.err != nil {
					t.Errorf("collector got %s %s (%s), err %v; want POST %s application/x-protobuf", r.method, r.path, r.contentType, r.err, tc.path)
					continue
				}
				for _, rs := range r.export.GetResourceSpans() {
					service := ""
					for _, kv := range rs.GetResource().GetAttributes() {
						if kv.GetKey() == "service.name" {
							service = kv.GetValue().GetStringValue()
						}
					}
					for _, ss := range rs.GetScopeSpans() {
						for _, s := range ss.GetSpans() {
							spans = append(spans, service+" "+s.GetName())
						}
					}
				}
			}
			if len(spans) != 1 || spans[0] != "otlp-test "+getUser {
				t.Errorf("exported spans %q, want [%q]", spans, "otlp-test "+getUser)
			}
		})
	}
}
