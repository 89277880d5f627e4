package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuTimes sums the CPU time (user + system) of this process and of every PostgreSQL and
// Redis server process on the machine, from /proc, so a run can say which of them the load
// kept busy. Where /proc is missing the map is empty.
func cpuTimes() map[string]time.Duration {
	out := map[string]time.Duration{}
	self := strconv.Itoa(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid … field 14 utime, 15 stime, in clock ticks (100 a second).
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		comm, fields := s[open+1:end], strings.Fields(s[end+1:])
		var who string
		switch {
		case filepath.Base(dir) == self:
			who = "bench process"
		case comm == "postgres":
			who = "postgres"
		case strings.HasPrefix(comm, "redis-server"):
			who = "redis"
		default:
			continue
		}
		if len(fields) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		out[who] += time.Duration(utime+stime) * 10 * time.Millisecond
	}
	return out
}

// coresUsed turns two cpuTimes snapshots taken elapsed apart into cores kept busy.
func coresUsed(before, after map[string]time.Duration, elapsed time.Duration) map[string]float64 {
	if len(after) == 0 || elapsed <= 0 {
		return nil
	}
	out := map[string]float64{}
	for who, t := range after {
		out[who] = round((t-before[who]).Seconds()/elapsed.Seconds(), 2)
	}
	return out
}
