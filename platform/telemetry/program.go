package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"
)

// ForProgram returns the telemetry a service or the BFF uses. Inside the all-in-one launcher
// every program shares the launcher's instance (shared != nil), so one registry and one trace
// pipeline cover the whole process. A program run on its own sets up its own: spans exported
// to OTEL_EXPORTER_OTLP_ENDPOINT when that is set, and Prometheus metrics served on
// metricsAddr when that is set. The returned stop function flushes and shuts down what
// ForProgram started; call it after the program's server has stopped.
func ForProgram(ctx context.Context, shared *Telemetry, name string, trustRemote bool, metricsAddr string, logger *slog.Logger) (*Telemetry, func(), error) {
	if shared != nil {
		return shared, func() {}, nil
	}
	t, err := Setup(ctx, Options{
		ServiceName:  name,
		OTLPEndpoint: os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"),
		TrustRemote:  trustRemote,
	})
	if err != nil {
		return nil, nil, err
	}
	metricsCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ServeMetrics(metricsCtx, metricsAddr, t.MetricsHandler(), logger); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("metrics server stopped", "addr", metricsAddr, "error", err.Error())
		}
	}()
	stop := func() {
		stopMetrics()
		<-done
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := t.Shutdown(shutdownCtx); err != nil {
			logger.Warn("telemetry shutdown", "error", err.Error())
		}
	}
	return t, stop, nil
}
