package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// printTable writes the human-readable report: baselines, one row per measured run with its
// ratios, the scenario-specific figures and every goal with whether this run met it.
func printTable(w io.Writer, rep *report) {
	fmt.Fprintf(w, "\nlooklook-bench %s — %d CPUs (%s), %s, load average %s → %s\n\n",
		rep.Started.Format("2006-01-02 15:04 UTC"), rep.Machine.CPUs, rep.Machine.CPUModel, rep.Machine.Go,
		rep.Machine.LoadBefore, rep.Machine.LoadAfter)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "baseline\tthroughput/s\tp50 ms\tavg ms\t")
	for _, k := range sortedKeys(rep.Baselines) {
		b := rep.Baselines[k]
		if b.Skipped != "" {
			fmt.Fprintf(tw, "%s\tskipped: %s\t\t\t\n", b.Name, b.Skipped)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t\n", b.Name, b.Throughput, opt(b.P50), opt(b.Latency))
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\trun\tload\tthroughput/s\tp50 ms\tp99 ms\tp99.9 ms\tmax ms\terrors\t×Redis GET\t×pgbench\t×S0\t")
	for _, s := range rep.Scenarios {
		row := func(name string, r *runResult, withRatios bool) {
			load := fmt.Sprintf("%d callers", r.Concurrency)
			if r.Mode == modeFixed {
				load = fmt.Sprintf("%.0f/s", r.Rate)
			}
			ratios := "\t\t"
			if withRatios && s.Ratios != nil {
				ratios = fmt.Sprintf("%s\t%s\t%s", ratioCell(s.Ratios, "redis_get"), ratioCell(s.Ratios, "pgbench_select"), ratioCell(s.Ratios, "s0_echo"))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%s\t\n", s.ID, name, load, r.Throughput, r.P50, r.P99, r.P999, r.Max, r.Errors, ratios)
		}
		if s.Saturation != nil {
			row("saturation", s.Saturation, true)
		}
		if s.HalfRate != nil {
			row("half rate", s.HalfRate, false)
		}
		for _, k := range sortedKeys(s.Runs) {
			r := s.Runs[k]
			row(k, &r, false)
		}
	}
	tw.Flush()

	fmt.Fprintf(w, "\nCPU cores kept busy during the saturation runs (%d = the whole machine):\n", rep.Machine.CPUs)
	for _, s := range rep.Scenarios {
		if s.Saturation == nil || len(s.Saturation.Cores) == 0 {
			continue
		}
		var parts []string
		for _, k := range sortedKeys(s.Saturation.Cores) {
			parts = append(parts, fmt.Sprintf("%s %.2f", k, s.Saturation.Cores[k]))
		}
		fmt.Fprintf(w, "  %-4s %s\n", s.ID, strings.Join(parts, ", "))
	}

	for _, s := range rep.Scenarios {
		if len(s.Figures) == 0 && len(s.Goals) == 0 && s.Error == "" && len(s.Ratios) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s  %s\n", s.ID, s.Title)
		if s.Error != "" {
			fmt.Fprintf(w, "  FAILED: %s\n", s.Error)
		}
		if len(s.Figures) > 0 {
			var parts []string
			for _, k := range sortedKeys(s.Figures) {
				parts = append(parts, fmt.Sprintf("%s=%g", k, s.Figures[k]))
			}
			fmt.Fprintf(w, "  %s\n", strings.Join(parts, "  "))
		}
		if len(s.Ratios) > 0 {
			var parts []string
			for _, k := range sortedKeys(s.Ratios) {
				parts = append(parts, fmt.Sprintf("×%s=%g", k, s.Ratios[k]))
			}
			fmt.Fprintf(w, "  ratios: %s\n", strings.Join(parts, "  "))
		}
		for _, g := range s.Goals {
			mark := "MET   "
			if !g.Met {
				mark = "MISSED"
			}
			fmt.Fprintf(w, "  %s %s: want %s, got %s\n", mark, g.What, g.Want, g.Got)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
	if rep.RSS != nil {
		r := rep.RSS
		fmt.Fprintf(w, "\nRSS  all-in-one launcher (%s), %d homestays: idle %.1f MiB, holding %d in cache %.1f MiB, peak %.1f MiB\n",
			r.Storage, r.Homestays, r.IdleMiB, r.Cached, r.WarmMiB, r.PeakMiB)
	}
	if rep.RSSError != "" {
		fmt.Fprintf(w, "\nRSS  FAILED: %s\n", rep.RSSError)
	}
}

func opt(v float64) string {
	if v == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

func ratioCell(m map[string]float64, k string) string {
	v, ok := m[k]
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}
