// Command travel-gen fills a travel database with a large synthetic catalogue for load tests
// and query plans: businesses, homestays, comments and curated lists, written straight into the
// tables with batched multi-row INSERTs (Ent's CreateBulk), with a progress bar.
//
//	go run ./services/travel/cmd/travel-gen -database-url postgres://postgres@localhost:5432/travel?sslmode=disable \
//	    -homestays 100000 -comments 1000000
//
// It adds to whatever the database holds. Every rating it writes is consistent: each homestay's
// star_sum, comment_count and score are those of the comments it inserts for it, and each
// business's are the sums over its homestays, because the whole catalogue is planned in memory
// before the first row is written. The landlord and commenter user ids are synthetic (they name
// no usercenter user): landlords start above the largest owner id already present (and at
// least at 1,000,000), commenters are -user-base … -user-base + -users - 1.
//
// It bypasses the service, so run it while travel is stopped or expect its caches to serve old
// rows until their TTL.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "travel-gen:", err)
		os.Exit(1)
	}
}
