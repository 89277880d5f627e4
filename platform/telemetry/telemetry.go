// Package telemetry gives a looklook program its traces, trace-stamped logs and metrics.
//
// Setup builds one TracerProvider, one MeterProvider and one propagator (W3C TraceContext and
// Baggage) per program and never installs them as OpenTelemetry globals, so several programs
// (the all-in-one launcher, or a test with an edge and an inner server) can each own theirs in
// one process. Interceptor instruments Connect handlers and clients with otelconnect; spans go
// to an OTLP/HTTP collector when one is configured and are created in any case, so every log
// line written with a request's context carries its trace id (NewLogHandler). RPC metrics land
// in a Prometheus registry that MetricsHandler serves, on a port of its own (ServeMetrics).
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	"connectrpc.com/connect"
	"connectrpc.com/otelconnect"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprometheus "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// defaultServiceName names the resource when neither Options.ServiceName nor
// OTEL_SERVICE_NAME does.
const defaultServiceName = "looklook"

// Options configures Setup.
type Options struct {
	// ServiceName is the resource's service.name, such as "travel". OTEL_SERVICE_NAME (and
	// service.name in OTEL_RESOURCE_ATTRIBUTES) override it, as the OpenTelemetry spec asks.
	// Empty means "looklook".
	ServiceName string
	// OTLPEndpoint, when non-empty, exports spans with OTLP/HTTP to this base URL (such as
	// "http://otel-collector:4318"; a bare host:port means http://), at path /v1/traces under
	// it. The caller passes os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"). The exporter also honours
	// the other standard variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is, and it wins
	// over this field), OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, _CERTIFICATE and
	// their _TRACES_ forms. Empty means no exporter: spans are still created, so logs and
	// propagated headers carry trace ids.
	OTLPEndpoint string
	// SpanExporter, when set, receives the spans instead of an OTLP exporter; tests pass
	// tracetest.NewInMemoryExporter() and call ForceFlush before reading it.
	SpanExporter sdktrace.SpanExporter
	// Registry receives the RPC metrics (through the OpenTelemetry Prometheus exporter) and the
	// Go runtime and process collectors. Nil means a new registry; Registry() returns it.
	// Give each Telemetry a registry of its own: two recording the same RPC series (or with
	// the same ServiceName) on one registry make scrapes report duplicates. The all-in-one
	// launcher shares one Telemetry between its services instead.
	Registry *prometheus.Registry
	// TrustRemote makes Interceptor's server spans children of the trace context a caller sends
	// (traceparent), so a call from the BFF to a service continues the BFF's trace. Internal
	// services set it. A program facing the internet leaves it false: an incoming traceparent
	// is then only linked, and each request starts a trace of its own, so clients cannot pick
	// our trace ids or sampling. PublicInterceptor never trusts, whatever this says.
	TrustRemote bool
}

// Telemetry owns the tracing and metrics providers of one program, or of the all-in-one
// launcher, whose services then share them.
type Telemetry struct {
	tracerProvider *sdktrace.TracerProvider
	meterProvider  *sdkmetric.MeterProvider
	registry       *prometheus.Registry
	interceptor    *otelconnect.Interceptor
	public         *otelconnect.Interceptor

	shutdownOnce sync.Once
	shutdownErr  error
}

// Setup builds the providers. It starts no goroutine that outlives Shutdown and contacts no
// collector: the OTLP exporter connects when it first exports.
func Setup(ctx context.Context, opts Options) (*Telemetry, error) {
	name := opts.ServiceName
	if name == "" {
		name = defaultServiceName
	}
	// Later options win, so the environment overrides the name the program chose.
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(name)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
	)
	if err != nil {
		return nil, fmt.Errorf("telemetry: resource: %w", err)
	}

	exporter := opts.SpanExporter
	if exporter == nil && opts.OTLPEndpoint != "" {
		exporter, err = newOTLPExporter(ctx, opts.OTLPEndpoint)
		if err != nil {
			return nil, err
		}
	}

	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		// A registry the caller passed may already export these; that is fine.
		if err := reg.Register(c); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
			return nil, fmt.Errorf("telemetry: register runtime metrics: %w", err)
		}
	}
	promExporter, err := otelprometheus.New(otelprometheus.WithRegisterer(reg))
	if err != nil {
		return nil, fmt.Errorf("telemetry: prometheus exporter: %w", err)
	}

	meterProvider := sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(res),
		sdkmetric.WithReader(promExporter),
	)
	// With a collector, every span is recorded, so a trace id in a log line always names a trace
	// the collector received; a program records its spans even when its caller does not (the
	// trace stays connected through the parent ids). Without one, no span is recorded: spans
	// still carry trace and span ids, which the logs show and calls propagate, but recording
	// spans nobody exports is pure cost on every call.
	traceOpts := []sdktrace.TracerProviderOption{
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.NeverSample()),
	}
	if exporter != nil {
		traceOpts = append(traceOpts, sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithBatcher(exporter))
	}
	tracerProvider := sdktrace.NewTracerProvider(traceOpts...)

	t := &Telemetry{
		tracerProvider: tracerProvider,
		meterProvider:  meterProvider,
		registry:       reg,
	}
	propagator := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	common := []otelconnect.Option{
		otelconnect.WithTracerProvider(tracerProvider),
		otelconnect.WithMeterProvider(meterProvider),
		otelconnect.WithPropagator(propagator),
	}
	trusting := slices.Clone(common)
	if opts.TrustRemote {
		trusting = append(trusting, otelconnect.WithTrustRemote())
	}
	if t.interceptor, err = otelconnect.NewInterceptor(trusting...); err == nil {
		t.public, err = otelconnect.NewInterceptor(common...)
	}
	if err != nil {
		_ = t.Shutdown(ctx)
		return nil, fmt.Errorf("telemetry: otelconnect: %w", err)
	}
	return t, nil
}

// newOTLPExporter returns an OTLP/HTTP span exporter for the base URL endpoint, following the
// rules of OTEL_EXPORTER_OTLP_ENDPOINT: spans go to /v1/traces under it, unless
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT names the full URL, which otlptracehttp reads itself.
func newOTLPExporter(ctx context.Context, endpoint string) (sdktrace.SpanExporter, error) {
	var opts []otlptracehttp.Option
	if os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		if !strings.Contains(endpoint, "://") {
			endpoint = "http://" + endpoint
		}
		u, err := url.Parse(endpoint)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("telemetry: OTLP endpoint %q is not a URL such as http://collector:4318", endpoint)
		}
		u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
		opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
	}
	exporter, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("telemetry: OTLP exporter: %w", err)
	}
	return exporter, nil
}

// Shutdown ends span batching, exports what is buffered and releases the exporters. Call it
// once the servers have stopped, with a context bounding how long the flush may take. Later
// calls return the first call's result.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	t.shutdownOnce.Do(func() {
		t.shutdownErr = errors.Join(t.tracerProvider.Shutdown(ctx), t.meterProvider.Shutdown(ctx))
		if t.shutdownErr != nil {
			t.shutdownErr = fmt.Errorf("telemetry: shutdown: %w", t.shutdownErr)
		}
	})
	return t.shutdownErr
}

// ForceFlush exports every span that has ended so far, without shutting down.
func (t *Telemetry) ForceFlush(ctx context.Context) error {
	return t.tracerProvider.ForceFlush(ctx)
}

// TracerProvider is this instance's tracer provider, for spans of work that is not a Connect
// call (a batch job, a cache load worth its own span).
func (t *Telemetry) TracerProvider() trace.TracerProvider {
	return t.tracerProvider
}

// Registry is the Prometheus registry MetricsHandler serves; register the program's own
// collectors (cache metrics) on it.
func (t *Telemetry) Registry() *prometheus.Registry {
	return t.registry
}

// Interceptor traces and measures Connect calls with this instance's providers and
// propagator. Use it on handlers and on clients: a client call made with a handler's context
// becomes a child span of the handler's span and sends its traceparent onwards. Server spans
// join the caller's trace when Options.TrustRemote is set.
//
// Put it first among a handler's interceptors (before server.HandlerOptions' request log), so
// the log and everything else inside sees the span in the context.
func (t *Telemetry) Interceptor() connect.Interceptor {
	return t.interceptor
}

// PublicInterceptor is Interceptor for handlers that face the internet, whatever
// Options.TrustRemote says: each request starts a new trace, linked to the one the caller
// claims. The all-in-one launcher, whose one Telemetry trusts remote spans for its internal
// services, gives this one to the BFF's handlers. The BFF's clients still use Interceptor.
func (t *Telemetry) PublicInterceptor() connect.Interceptor {
	return t.public
}

// MetricsHandler serves Registry() in the Prometheus text format: RPC durations
// (rpc_server_call_duration_seconds, rpc_client_call_duration_seconds), Go runtime and
// process metrics, and whatever the program registered.
func (t *Telemetry) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{
		// Serve the metrics that could be gathered even when one collector fails.
		ErrorHandling: promhttp.ContinueOnError,
	})
}
