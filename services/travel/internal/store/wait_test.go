package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/looklook/looklook/platform/testenv"
)

// waitFor polls cond until it holds, failing after a second: the bar for another instance to
// see an invalidation.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	testenv.Eventually(t, time.Second, "the other instance serves the write", func() error {
		if cond() {
			return nil
		}
		return errors.New("it still serves the old value")
	})
}
