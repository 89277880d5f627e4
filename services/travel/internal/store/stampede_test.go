package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/travel/ent"
)

// TestStampedeLoadsOnce sends 1,000 concurrent reads of one cold homestay and counts, with an
// Ent interceptor on the database side, how many homestay queries reach the database: exactly
// one, and none for a second wave. It runs with Redis (PostgreSQL) and in-process only (SQLite).
func TestStampedeLoadsOnce(t *testing.T) {
	t.Parallel()
	for _, backend := range testenv.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			client := openClient(t, backend.URL(t))
			var queries atomic.Int64
			client.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
				return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
					if _, ok := q.(*ent.HomestayQuery); ok {
						queries.Add(1)
					}
					return next.Query(ctx, q)
				})
			}))
			st := newStore(t, client, nil, "")
			if backend.Name == "postgres" {
				rdb, prefix := testenv.Redis(t)
				st = newStore(t, client, rdb, prefix)
			}
			h := seedHomestay(t, st, 1, true)
			st.Invalidate(ctx, []int64{h.ID}, nil) // make it cold in both tiers

			wave := func() {
				var wg sync.WaitGroup
				start := make(chan struct{})
				errs := make(chan error, 1000)
				for range 1000 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						got, err := st.Homestay(ctx, h.ID)
						if err == nil && got.ID != h.ID {
							err = context.Canceled // wrong row: report as a failure below
						}
						if err != nil {
							errs <- err
						}
					}()
				}
				close(start)
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatalf("concurrent read: %v", err)
				}
			}
			queries.Store(0)
			wave()
			if n := queries.Load(); n != 1 {
				t.Fatalf("first wave: %d homestay queries reached the database, want exactly 1", n)
			}
			wave()
			if n := queries.Load(); n != 1 {
				t.Fatalf("second wave: %d more homestay queries, want none", n-1)
			}
		})
	}
}
