package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/looklook/looklook/services/travel/ent"
)

// migrateMu serialises schema migrations within the process. Ent's migration rewrites the
// generated package-level table descriptions (ent/migrate.Tables) while it runs, so two
// concurrent Schema.Create calls in one process race, even on different databases: tests and
// any process running two travel instances would hit it. It is the one package-level variable
// here because the state it guards is package-level too.
var migrateMu sync.Mutex

// Migrate creates or updates the travel tables and indexes to match the schema.
func Migrate(ctx context.Context, client *ent.Client) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	if err := client.Schema.Create(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
