package testenv

import (
	"testing"
	"time"
)

// Eventually calls check until it returns nil, failing the test if it still fails after
// within. check's last error says why in the failure message. It polls every 10 ms: the
// conditions it waits for (another instance hearing an invalidation, a restarted server
// answering) take milliseconds, and a fixed sleep would either waste time or flake.
func Eventually(tb testing.TB, within time.Duration, what string, check func() error) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %v: %v", what, within, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
