package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
)

// scenarioResult is one scenario's figures, its ratios to the baselines and its goals.
type scenarioResult struct {
	ID         string               `json:"id"`
	Title      string               `json:"title"`
	Saturation *runResult           `json:"saturation,omitempty"`
	HalfRate   *runResult           `json:"half_rate,omitempty"`
	Runs       map[string]runResult `json:"runs,omitempty"` // other named runs (S4)
	Figures    map[string]float64   `json:"figures,omitempty"`
	Ratios     map[string]float64   `json:"ratios,omitempty"`
	Goals      []goal               `json:"goals,omitempty"`
	Notes      []string             `json:"notes,omitempty"`
	Error      string               `json:"error,omitempty"`
}

// goal is one of the targets with what this run measured.
type goal struct {
	What string `json:"what"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

// bench holds what every scenario shares.
type bench struct {
	opts      options
	d         *deployment
	load      *loader
	cat       catalogue
	hot       []int64 // on-shelf homestays the hot scenarios cycle through, already cached
	baselines map[string]baseline
	results   map[string]*scenarioResult
	log       func(format string, args ...any)
}

func (b *bench) bffClient(inst string) bffv1connect.HomestayServiceClient {
	return bffv1connect.NewHomestayServiceClient(b.d.hc, b.d.bff[inst])
}

func (b *bench) travelClient(inst string) travelv1connect.TravelServiceClient {
	return travelv1connect.NewTravelServiceClient(b.d.hc, b.d.travel[inst])
}

// profiled runs f with a CPU profile written to <out>/cpu-<name>.pprof when profiling is on.
// The profile covers the whole process: the deployment and the load generator.
func (b *bench) profiled(name string, f func()) error {
	if !b.opts.profile {
		f()
		return nil
	}
	file, err := os.Create(filepath.Join(b.opts.outDir, "cpu-"+name+".pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(file); err != nil {
		_ = file.Close()
		return err
	}
	f()
	pprof.StopCPUProfile()
	return file.Close()
}

// saturationPair measures saturated throughput, then latency at half of it.
func (b *bench) saturationPair(ctx context.Context, s *scenarioResult, t target) error {
	var sat runResult
	if err := b.profiled(s.ID, func() { sat = b.load.saturate(ctx, t, b.opts.concurrency, b.opts.duration) }); err != nil {
		return fmt.Errorf("CPU profile: %w", err)
	}
	s.Saturation = &sat
	b.log("%s saturation: %.0f rps, p99 %.2f ms, %d errors", s.ID, sat.Throughput, sat.P99, sat.Errors)
	if sat.Throughput > 0 {
		half := b.load.fixedRate(ctx, t, sat.Throughput/2, b.opts.duration)
		s.HalfRate = &half
		b.log("%s at %.0f rps: p50 %.2f ms, p99 %.2f ms, %d errors", s.ID, half.Rate, half.P50, half.P99, half.Errors)
	}
	b.ratios(s)
	return nil
}

// ratios relates a scenario's saturated throughput to the baselines and to S0.
func (b *bench) ratios(s *scenarioResult) {
	if s.Saturation == nil || s.Saturation.Throughput == 0 {
		return
	}
	s.Ratios = map[string]float64{}
	if r := b.baselines["redis"]; r.Throughput > 0 {
		s.Ratios["redis_get"] = round(s.Saturation.Throughput/r.Throughput, 3)
	}
	if p := b.baselines["pgbench"]; p.Throughput > 0 {
		s.Ratios["pgbench_select"] = round(s.Saturation.Throughput/p.Throughput, 3)
	}
	if s0, ok := b.results["S0"]; ok && s0.Saturation != nil && s0.Saturation.Throughput > 0 {
		s.Ratios["s0_echo"] = round(s.Saturation.Throughput/s0.Saturation.Throughput, 3)
	}
}

func (s *scenarioResult) addGoal(what, want, got string, met bool) {
	s.Goals = append(s.Goals, goal{What: what, Want: want, Got: got, Met: met})
}

// warm reads every hot homestay once through a BFF so the caches behind it hold them.
func (b *bench) warm(ctx context.Context, inst string) error {
	c := b.bffClient(inst)
	for _, id := range b.hot {
		if _, err := c.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: id})); err != nil {
			return fmt.Errorf("warm GetHomestay %d via bff %s: %w", id, inst, err)
		}
	}
	return nil
}

func (b *bench) getHomestayTarget(base string) (target, error) {
	msgs := make([]proto.Message, len(b.hot))
	for i, id := range b.hot {
		msgs[i] = &bffv1.GetHomestayRequest{Id: id}
	}
	return newTarget(base, bffv1connect.HomestayServiceGetHomestayProcedure, msgs...)
}

// S0: the ceiling — one Connect hop to a handler that does nothing.
func (b *bench) s0(ctx context.Context, s *scenarioResult) error {
	page, err := b.bffClient("a").GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: b.hot[0]}))
	if err != nil {
		return err
	}
	b.d.echoReply.v.Store(page.Msg)
	s.Figures = map[string]float64{"response_bytes": float64(proto.Size(page.Msg))}
	t, err := newTarget(b.d.echo, echoProcedure, &bffv1.GetHomestayRequest{Id: b.hot[0]})
	if err != nil {
		return err
	}
	if err := b.saturationPair(ctx, s, t); err != nil {
		return err
	}
	s.Notes = append(s.Notes, "a canned GetHomestay response of the same size as S1's, through platform/server with the standard handler options")
	return nil
}

// S1 and S1b: GetHomestay through the BFF on cached homestays.
func (b *bench) s1(ctx context.Context, s *scenarioResult, inst string) error {
	if err := b.warm(ctx, inst); err != nil {
		return err
	}
	t, err := b.getHomestayTarget(b.d.bff[inst])
	if err != nil {
		return err
	}
	if err := b.saturationPair(ctx, s, t); err != nil {
		return err
	}
	s.Notes = append(s.Notes, fmt.Sprintf("cycles through %d cached on-shelf homestays", len(b.hot)))
	sat, half := s.Saturation, s.HalfRate
	if inst == "a" {
		if r := b.baselines["redis"]; r.Throughput > 0 {
			s.addGoal("saturated throughput vs Redis GET", "≥ 25%", pct(sat.Throughput/r.Throughput), sat.Throughput >= 0.25*r.Throughput)
		}
		s.addGoal("errors at saturation", "0", fmt.Sprint(sat.Errors), sat.Errors == 0)
		if half != nil {
			s.addGoal("p99 at half the saturated rate", "≤ 5 ms", ms(half.P99), half.P99 <= 5 && half.Errors == 0)
		}
		return nil
	}
	if s1, ok := b.results["S1"]; ok && s1.Saturation != nil && s1.Saturation.Throughput > 0 {
		ratio := sat.Throughput / s1.Saturation.Throughput
		if s.Ratios == nil {
			s.Ratios = map[string]float64{}
		}
		s.Ratios["s1"] = round(ratio, 3)
		s.addGoal("saturated throughput vs S1", "≥ 60%", pct(ratio), ratio >= 0.6)
	}
	return nil
}

// S2: a stampede on one cold homestay, half of it on each of two travel instances that share
// Redis: each instance should load the row from the database at most once.
func (b *bench) s2(ctx context.Context, s *scenarioResult) error {
	const concurrent = 1000
	// Cold ids: on-shelf homestays no other scenario reads (the hot set is a strided sample).
	var cold []int64
	for i := len(b.cat.onShelf) - 1; i >= 0 && len(cold) < b.opts.stampedeRounds; i-- {
		if id := b.cat.onShelf[i]; !slices.Contains(b.hot, id) {
			cold = append(cold, id)
		}
	}
	if len(cold) == 0 {
		return errors.New("no cold homestay: the hot set covers every on-shelf homestay (lower -hot or generate more)")
	}
	s.Figures = map[string]float64{"concurrent_requests": concurrent, "rounds": float64(len(cold))}
	instances := []string{"a", "b"}
	clients := []travelv1connect.TravelServiceClient{b.travelClient("a"), b.travelClient("b")}
	var maxLoads [2]float64
	var errs, total int
	var worst time.Duration
	for _, id := range cold {
		var before [2]cacheCounters
		for i, inst := range instances {
			c, err := b.d.cacheStats(inst, "travel:homestay")
			if err != nil {
				return err
			}
			before[i] = c
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		gate := make(chan struct{})
		for i := range concurrent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				start := time.Now()
				_, err := clients[i%2].GetHomestay(ctx, connect.NewRequest(&travelv1.GetHomestayRequest{Id: id}))
				took := time.Since(start)
				mu.Lock()
				defer mu.Unlock()
				total++
				if err != nil {
					errs++
				}
				worst = max(worst, took)
			}()
		}
		close(gate)
		wg.Wait()
		for i, inst := range instances {
			after, err := b.d.cacheStats(inst, "travel:homestay")
			if err != nil {
				return err
			}
			maxLoads[i] = max(maxLoads[i], after.minus(before[i]).Loads)
		}
	}
	s.Figures["max_db_loads_instance_a"] = maxLoads[0]
	s.Figures["max_db_loads_instance_b"] = maxLoads[1]
	s.Figures["errors"] = float64(errs)
	s.Figures["slowest_request_ms"] = round(float64(worst.Microseconds())/1000, 2)
	s.addGoal("database loads of the homestay per instance", "≤ 1", fmt.Sprintf("a: %.0f, b: %.0f (worst of %d rounds)", maxLoads[0], maxLoads[1], len(cold)),
		maxLoads[0] <= 1 && maxLoads[1] <= 1)
	s.addGoal("errors", "0", fmt.Sprintf("%d of %d", errs, total), errs == 0)
	s.Notes = append(s.Notes, "1,000 GetHomestay calls released together, 500 to each of two travel instances sharing Redis; loads counted by each instance's travel:homestay cache")
	return nil
}

// S3: the preferred list, 20 cards.
func (b *bench) s3(ctx context.Context, s *scenarioResult) error {
	c := b.bffClient("a")
	var first []int64
	for range 2 {
		res, err := c.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{PageSize: 20}))
		if err != nil {
			return err
		}
		var ids []int64
		for _, h := range res.Msg.GetHomestays() {
			ids = append(ids, h.GetId())
		}
		if first != nil && !slices.Equal(first, ids) {
			return fmt.Errorf("the preferred list's order changed between two reads: %v then %v", first, ids)
		}
		first = ids
	}
	s.Figures = map[string]float64{"cards": float64(len(first))}
	if len(first) != 20 {
		s.Notes = append(s.Notes, fmt.Sprintf("the data set has only %d preferred homestays", len(first)))
	}
	t, err := newTarget(b.d.bff["a"], bffv1connect.HomestayServiceListPreferredHomestaysProcedure, &bffv1.ListPreferredHomestaysRequest{PageSize: 20})
	if err != nil {
		return err
	}
	if err := b.saturationPair(ctx, s, t); err != nil {
		return err
	}
	sat, half := s.Saturation, s.HalfRate
	if r := b.baselines["redis"]; r.Throughput > 0 {
		s.addGoal("saturated throughput vs Redis GET", "≥ 10%", pct(sat.Throughput/r.Throughput), sat.Throughput >= 0.1*r.Throughput)
	}
	if half != nil {
		s.addGoal("p99 at half the saturated rate", "≤ 10 ms", ms(half.P99), half.P99 <= 10 && half.Errors == 0)
	}
	return nil
}

// S4: GetHomestay through the BFF and straight to travel at the same fixed rate.
func (b *bench) s4(ctx context.Context, s *scenarioResult) error {
	rate := b.opts.s4Rate
	if rate == 0 {
		rate = 1000
		if s1, ok := b.results["S1"]; ok && s1.Saturation != nil && s1.Saturation.Throughput > 0 {
			rate = max(100, s1.Saturation.Throughput/4)
		}
	}
	viaBFF, err := b.getHomestayTarget(b.d.bff["a"])
	if err != nil {
		return err
	}
	msgs := make([]proto.Message, len(b.hot))
	for i, id := range b.hot {
		msgs[i] = &travelv1.GetHomestayRequest{Id: id}
	}
	direct, err := newTarget(b.d.travel["a"], travelv1connect.TravelServiceGetHomestayProcedure, msgs...)
	if err != nil {
		return err
	}
	dmsgs := make([]proto.Message, len(b.hot))
	for i, id := range b.hot {
		dmsgs[i] = &travelv1.GetHomestayDetailRequest{Id: id, CommentPageSize: 10}
	}
	detail, err := newTarget(b.d.travel["a"], travelv1connect.TravelServiceGetHomestayDetailProcedure, dmsgs...)
	if err != nil {
		return err
	}
	rb := b.load.fixedRate(ctx, viaBFF, rate, b.opts.duration)
	rt := b.load.fixedRate(ctx, direct, rate, b.opts.duration)
	// The BFF's first call, measured alone: the page waits for it before asking for users.
	rd := b.load.fixedRate(ctx, detail, rate, b.opts.duration)
	s.Runs = map[string]runResult{"bff": rb, "travel": rt, "travel GetHomestayDetail": rd}
	addP50, addP99 := rb.P50-rt.P50, rb.P99-rt.P99
	s.Figures = map[string]float64{"rate_rps": rb.Rate, "added_p50_ms": round(addP50, 3), "added_p99_ms": round(addP99, 3)}
	if s0, ok := b.results["S0"]; ok && s0.HalfRate != nil && s0.HalfRate.P50 > 0 {
		s.Ratios = map[string]float64{"p50_vs_s0_p50": round(rb.P50/s0.HalfRate.P50, 2)}
	}
	s.addGoal("added latency at p50", "≤ 0.3 ms", ms(addP50), addP50 <= 0.3)
	s.addGoal("added latency at p99", "≤ 1 ms", ms(addP99), addP99 <= 1)
	s.Notes = append(s.Notes, "the BFF's detail page is two internal calls one after the other (travel's GetHomestayDetail, then usercenter's BatchGetUsers for the landlord and comment authors); travel's GetHomestay is one cached read")
	return nil
}

// S5: two travel instances; after an update through one, how long until both serve it.
func (b *bench) s5(ctx context.Context, s *scenarioResult) error {
	id := b.hot[len(b.hot)/2]
	a, bb := b.travelClient("a"), b.travelClient("b")
	var both, onA, onB []time.Duration
	for i := range b.opts.invalidations {
		// Both instances hold the current row in L1 before the update.
		var cur *travelv1.Homestay
		for _, c := range []travelv1connect.TravelServiceClient{a, bb} {
			for range 2 {
				res, err := c.GetHomestay(ctx, connect.NewRequest(&travelv1.GetHomestayRequest{Id: id}))
				if err != nil {
					return err
				}
				cur = res.Msg.GetHomestay()
			}
		}
		fields, ok := proto.Clone(cur.GetFields()).(*travelv1.HomestayFields)
		if !ok || fields == nil {
			return fmt.Errorf("homestay %d came without fields", id)
		}
		fields.Subtitle = fmt.Sprintf("bench update %d", i)
		res, err := a.UpdateHomestay(ctx, connect.NewRequest(&travelv1.UpdateHomestayRequest{
			Id: id, LandlordUserId: cur.GetLandlordUserId(), Version: cur.GetVersion(), Fields: fields,
		}))
		if err != nil {
			return fmt.Errorf("UpdateHomestay: %w", err)
		}
		acked := time.Now()
		want := res.Msg.GetHomestay().GetVersion()
		var took [2]time.Duration
		var wg sync.WaitGroup
		var pollErr error
		var mu sync.Mutex
		for j, c := range []travelv1connect.TravelServiceClient{a, bb} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				deadline := acked.Add(5 * time.Second)
				var lastErr error
				for time.Now().Before(deadline) && ctx.Err() == nil {
					r, err := c.GetHomestay(ctx, connect.NewRequest(&travelv1.GetHomestayRequest{Id: id}))
					if err == nil && r.Msg.GetHomestay().GetVersion() >= want {
						took[j] = time.Since(acked)
						return
					}
					lastErr = err
				}
				mu.Lock()
				pollErr = fmt.Errorf("travel instance %d did not serve version %d within 5 seconds (last error: %v, context: %v)", j, want, lastErr, ctx.Err())
				mu.Unlock()
			}()
		}
		wg.Wait()
		if pollErr != nil {
			return pollErr
		}
		onA, onB, both = append(onA, took[0]), append(onB, took[1]), append(both, max(took[0], took[1]))
		time.Sleep(10 * time.Millisecond)
	}
	q := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		i := min(len(d)-1, int(float64(len(d))*p))
		return round(float64(d[i].Microseconds())/1000, 3)
	}
	s.Figures = map[string]float64{
		"updates":               float64(len(both)),
		"both_p50_ms":           q(both, 0.5),
		"both_p99_ms":           q(both, 0.99),
		"both_max_ms":           q(both, 1),
		"writer_p99_ms":         q(onA, 0.99),
		"other_instance_p99_ms": q(onB, 0.99),
	}
	s.addGoal("p99 time until both instances serve the new value", "≤ 10 ms", ms(s.Figures["both_p99_ms"]), s.Figures["both_p99_ms"] <= 10)
	s.Notes = append(s.Notes, "measured from the update's acknowledgement; each instance is polled back to back with GetHomestay")
	return nil
}

// S6: a Zipf workload over the whole catalogue on an instance whose L1 holds 10% of it.
func (b *bench) s6(ctx context.Context, s *scenarioResult) error {
	ids := b.cat.onShelf
	r := rand.New(rand.NewPCG(7, 11))
	perm := r.Perm(len(ids)) // rank → index into ids, so popular homestays are spread over the id space
	z := rand.NewZipf(r, b.opts.zipfS, 1, uint64(len(ids)-1))
	const samples = 1 << 21
	order := make([]int32, samples)
	topK := int(b.opts.zipfL1Items)
	inTop := 0
	for i := range order {
		rank := int(z.Uint64())
		if rank < topK {
			inTop++
		}
		order[i] = int32(perm[rank])
	}
	msgs := make([]proto.Message, len(ids))
	for i, id := range ids {
		msgs[i] = &travelv1.GetHomestayRequest{Id: id}
	}
	t, err := newTarget(b.d.travel["zipf"], travelv1connect.TravelServiceGetHomestayProcedure, msgs...)
	if err != nil {
		return err
	}
	t.Order = order
	before, err := b.d.cacheStats("zipf", "travel:homestay")
	if err != nil {
		return err
	}
	warm := b.load.fixedRate(ctx, t, b.opts.zipfRate, b.opts.zipfDuration)
	mid, err := b.d.cacheStats("zipf", "travel:homestay")
	if err != nil {
		return err
	}
	run := b.load.fixedRate(ctx, t, b.opts.zipfRate, b.opts.zipfDuration)
	after, err := b.d.cacheStats("zipf", "travel:homestay")
	if err != nil {
		return err
	}
	s.Runs = map[string]runResult{"warm-up": warm, "measured": run}
	d := after.minus(mid)
	lookups := d.L1Hits + d.L1Misses
	s.Figures = map[string]float64{
		"homestays":                 float64(b.cat.homestays),
		"on_shelf_keys":             float64(len(ids)),
		"l1_items":                  float64(b.opts.zipfL1Items),
		"zipf_s":                    b.opts.zipfS,
		"l1_hit_ratio":              round(ratio(d.L1Hits, lookups), 4),
		"l2_hit_ratio_of_l1_misses": round(ratio(d.L2Hits, d.L1Misses), 4),
		"db_loads_per_request":      round(ratio(d.Loads, lookups), 4),
		"top_10pct_request_share":   round(float64(inTop)/samples, 4),
		"cold_start_l1_hit_ratio":   round(ratio(mid.minus(before).L1Hits, mid.minus(before).L1Hits+mid.minus(before).L1Misses), 4),
	}
	s.Notes = append(s.Notes, "top_10pct_request_share is the hit ratio of a perfect cache of that size: the share of requests for the most popular 10% of keys")
	return nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }
func ms(v float64) string  { return fmt.Sprintf("%.3f ms", v) }
