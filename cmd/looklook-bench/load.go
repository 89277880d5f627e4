package main

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"google.golang.org/protobuf/proto"
)

// target is one kind of request a scenario sends: a Connect unary call with a binary protobuf
// body, the encoding a production client (gRPC or Connect) uses. With several bodies, the
// requests cycle through them (or follow Order when it is set).
type target struct {
	URL    string   // base URL + procedure path
	Bodies [][]byte // marshalled request messages
	// Order, when set, lists body indexes to send in turn (a Zipf sample); otherwise bodies are
	// sent round-robin.
	Order []int32
	// next is the position in Bodies or Order, shared by every attack with this target, so a
	// measured run continues the sequence its warm-up started instead of replaying it.
	next *atomic.Uint64
}

func newTarget(base, procedure string, msgs ...proto.Message) (target, error) {
	t := target{URL: base + procedure, next: new(atomic.Uint64)}
	for _, m := range msgs {
		b, err := proto.Marshal(m)
		if err != nil {
			return t, err
		}
		t.Bodies = append(t.Bodies, b)
	}
	return t, nil
}

// targeter returns a vegeta.Targeter safe for concurrent use by the attack's workers.
func (t target) targeter() vegeta.Targeter {
	header := http.Header{
		"Content-Type":             []string{"application/proto"},
		"Connect-Protocol-Version": []string{"1"},
	}
	return func(tgt *vegeta.Target) error {
		i := t.next.Add(1) - 1
		var body []byte
		if len(t.Order) > 0 {
			body = t.Bodies[t.Order[i%uint64(len(t.Order))]]
		} else {
			body = t.Bodies[i%uint64(len(t.Bodies))]
		}
		tgt.Method = http.MethodPost
		tgt.URL = t.URL
		tgt.Body = body
		tgt.Header = header
		return nil
	}
}

// Run modes.
const (
	modeSaturation = "saturation" // closed loop: a fixed number of callers, each sending as soon as the last answer came
	modeFixed      = "fixed-rate" // open loop: requests arrive at a fixed rate whatever the latency
)

// runResult is what one measured attack produced. Latencies are in milliseconds.
type runResult struct {
	Mode        string         `json:"mode"`
	Rate        float64        `json:"target_rps,omitempty"`  // fixed-rate runs
	Concurrency int            `json:"concurrency,omitempty"` // saturation runs
	Seconds     float64        `json:"seconds"`
	Requests    uint64         `json:"requests"`
	Errors      uint64         `json:"errors"`
	Throughput  float64        `json:"throughput_rps"` // successful responses per second
	P50         float64        `json:"p50_ms"`
	P99         float64        `json:"p99_ms"`
	P999        float64        `json:"p999_ms"`
	Max         float64        `json:"max_ms"`
	ErrorKinds  map[string]int `json:"error_kinds,omitempty"`
	// Cores is how many CPU cores the bench process (deployment and load generator), PostgreSQL
	// and Redis kept busy during the run (processes that ended during the run are missed).
	Cores map[string]float64 `json:"cores,omitempty"`
}

// loader runs attacks with the h2c client every looklook service uses.
type loader struct {
	client *http.Client
	warmup time.Duration
}

// saturate sends from concurrency callers for d (after a warm-up) and reports what came back.
func (l *loader) saturate(ctx context.Context, t target, concurrency int, d time.Duration) runResult {
	pace := vegeta.ConstantPacer{} // Freq 0: as fast as the workers go
	opts := []func(*vegeta.Attacker){vegeta.Workers(uint64(concurrency)), vegeta.MaxWorkers(uint64(concurrency))}
	if l.warmup > 0 {
		l.attack(ctx, t, pace, l.warmup, opts)
	}
	r := l.attack(ctx, t, pace, d, opts)
	r.Mode, r.Concurrency = modeSaturation, concurrency
	return r
}

// fixedRate sends rate requests a second for d (after a warm-up at the same rate). The number
// of workers grows as needed (vegeta's default), so a slow answer never delays the next
// request: latency includes any queueing.
func (l *loader) fixedRate(ctx context.Context, t target, rate float64, d time.Duration) runResult {
	pace := vegeta.ConstantPacer{Freq: max(1, int(rate)), Per: time.Second}
	opts := []func(*vegeta.Attacker){vegeta.Workers(uint64(max(8, int(rate)/200)))}
	if l.warmup > 0 {
		l.attack(ctx, t, pace, l.warmup, opts)
	}
	r := l.attack(ctx, t, pace, d, opts)
	r.Mode, r.Rate = modeFixed, float64(pace.Freq)
	return r
}

func (l *loader) attack(ctx context.Context, t target, pace vegeta.Pacer, d time.Duration, opts []func(*vegeta.Attacker)) runResult {
	opts = append(opts, vegeta.Client(l.client), vegeta.MaxBody(0))
	atk := vegeta.NewAttacker(opts...)
	hist := hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)
	var r runResult
	kinds := map[string]int{}
	start, cpuBefore := time.Now(), cpuTimes()
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	for res := range atk.Attack(t.targeter(), pace, d, "") {
		r.Requests++
		if res.Code != http.StatusOK || res.Error != "" {
			r.Errors++
			kinds[errorKind(res)]++
			continue
		}
		_ = hist.RecordValue(max(1, res.Latency.Microseconds()))
	}
	elapsed := time.Since(start)
	r.Cores = coresUsed(cpuBefore, cpuTimes(), elapsed)
	r.Seconds = round(elapsed.Seconds(), 2)
	r.Throughput = round(float64(r.Requests-r.Errors)/elapsed.Seconds(), 0)
	ms := func(us int64) float64 { return round(float64(us)/1000, 3) }
	r.P50, r.P99, r.P999, r.Max = ms(hist.ValueAtQuantile(50)), ms(hist.ValueAtQuantile(99)), ms(hist.ValueAtQuantile(99.9)), ms(hist.Max())
	if len(kinds) > 0 {
		r.ErrorKinds = kinds
	}
	return r
}

// errorKind names a failed result compactly: the HTTP status, or the transport error without
// the parts that vary per request.
func errorKind(res *vegeta.Result) string {
	if res.Code != 0 {
		return fmt.Sprintf("HTTP %d", res.Code)
	}
	e := res.Error
	if i := strings.LastIndex(e, ": "); i >= 0 {
		e = e[i+2:]
	}
	return e
}

func round(v float64, digits int) float64 {
	p := math.Pow10(digits)
	return math.Round(v*p) / p
}

// sortedKeys returns m's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
