package testenv

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/looklook/looklook/platform/database"
)

func TestPostgresDatabaseIsFreshAndDropped(t *testing.T) {
	t.Parallel()
	var dbURL string
	t.Run("inner", func(t *testing.T) {
		dbURL = PostgresURL(t)
		drv, err := database.Open(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer drv.Close()
		if _, err := drv.DB().Exec(`CREATE TABLE x (id int)`); err != nil {
			t.Fatal(err)
		}
	})
	admin, err := sql.Open("postgres", PostgresServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, strings.TrimPrefix(u.Path, "/")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database of %s still exists after the test ended", dbURL)
	}
}

func TestRedisPrefixIsCleanedUp(t *testing.T) {
	t.Parallel()
	var prefix string
	t.Run("inner", func(t *testing.T) {
		client, p := Redis(t)
		prefix = p
		if err := client.Set(context.Background(), p+"k", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	})
	client, _ := Redis(t)
	n, err := client.Exists(context.Background(), prefix+"k").Result()
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("key %sk survived the test", prefix)
	}
}
