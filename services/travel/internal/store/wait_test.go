package store_test

import (
	"testing"
	"time"
)

// waitFor polls cond until it holds, failing after a second: the bar for another instance to
// see an invalidation.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 1s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
