package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// findRepo returns the repository root: the nearest directory upwards holding go.work.
func findRepo(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work above the current directory: run looklook-bench from the repository or pass -repo")
		}
		dir = parent
	}
}

// buildTools compiles travel-gen and the all-in-one launcher from the repository into dir.
func buildTools(ctx context.Context, repo, dir string) (travelGen, launcher string, err error) {
	travelGen, launcher = filepath.Join(dir, "travel-gen"), filepath.Join(dir, "looklook")
	for _, b := range []struct{ out, pkg string }{{travelGen, "./services/travel/cmd/travel-gen"}, {launcher, "./cmd/looklook"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.out, b.pkg)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return travelGen, launcher, nil
}

// generate fills a travel database with travel-gen.
func generate(ctx context.Context, travelGen, databaseURL string, homestays, comments int) (time.Duration, error) {
	start := time.Now()
	cmd := exec.CommandContext(ctx, travelGen, "-database-url", databaseURL,
		"-homestays", fmt.Sprint(homestays), "-comments", fmt.Sprint(comments), "-quiet")
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("travel-gen: %v\n%s", err, lastLines(out, 10))
	}
	return time.Since(start), nil
}

// catalogue is what the scenarios need to know about the generated data.
type catalogue struct {
	homestays int     // rows in the homestays table
	onShelf   []int64 // ids of on-shelf homestays, ascending
}

// readCatalogue lists the on-shelf homestays of a PostgreSQL travel database.
func readCatalogue(ctx context.Context, databaseURL string) (catalogue, error) {
	var c catalogue
	db, err := sql.Open("postgres", databaseURL)
	if err != nil {
		return c, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM homestays`).Scan(&c.homestays); err != nil {
		return c, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id FROM homestays WHERE on_shelf ORDER BY id`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return c, err
		}
		c.onShelf = append(c.onShelf, id)
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if len(c.onShelf) == 0 {
		return c, errors.New("the generated catalogue has no on-shelf homestay")
	}
	return c, nil
}

// loadAverage is /proc/loadavg's first three fields, or "" where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
