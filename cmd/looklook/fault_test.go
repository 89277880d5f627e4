package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/looklook/looklook/bff"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/identity"
	"github.com/looklook/looklook/services/travel"
	"github.com/looklook/looklook/services/usercenter"
)

// The fault tests run real load against a real deployment on loopback and break what it
// depends on: a private Redis is killed and restarted, the test's own PostgreSQL databases
// lose their connections, and programs shut down mid-load. Each is bounded to a few seconds
// of load and asserts what a user would see: no failed request where the design promises
// none, the documented code where it promises one, and no acknowledged write lost.

// loadStats counts the outcomes of calls made during a fault.
type loadStats struct {
	mu    sync.Mutex
	ok    int
	codes map[connect.Code]int
	first map[connect.Code]error
}

func (s *loadStats) record(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.ok++
		return
	}
	if s.codes == nil {
		s.codes, s.first = map[connect.Code]int{}, map[connect.Code]error{}
	}
	code := connect.CodeOf(err)
	s.codes[code]++
	if s.first[code] == nil {
		s.first[code] = err
	}
}

// okCount is how many calls have succeeded so far.
func (s *loadStats) okCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ok
}

func (s *loadStats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := []string{fmt.Sprintf("%d ok", s.ok)}
	for code, n := range s.codes {
		parts = append(parts, fmt.Sprintf("%d %v (first: %v)", n, code, s.first[code]))
	}
	return strings.Join(parts, ", ")
}

// runLoad calls do from workers goroutines until stop is closed. If the test ends first (a
// Fatal), its cleanup stops them, so they never call a torn-down system.
func runLoad(t *testing.T, workers int, stop chan struct{}, do func(worker, i int) error, stats *loadStats) *sync.WaitGroup {
	var wg sync.WaitGroup
	stopOnEnd(t, stop, &wg)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				stats.record(do(w, i))
			}
		}()
	}
	return &wg
}

// stopOnEnd closes stop (unless the test did) and waits for wg when the test ends.
func stopOnEnd(t *testing.T, stop chan struct{}, wg *sync.WaitGroup) {
	t.Cleanup(func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	})
}

// freePort returns a loopback TCP port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// privateRedis is a redis-server the test owns, listening only on a unix socket in a
// directory of its own (no TCP port another test could take while it is down), without
// persistence.
type privateRedis struct {
	t    *testing.T
	dir  string
	cmd  *exec.Cmd
	exit chan error // the running server's exit
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed (Debian package redis-server)")
	}
	// A short path: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "redis")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	r := &privateRedis{t: t, dir: dir}
	r.start()
	t.Cleanup(func() { r.kill() })
	return r
}

func (r *privateRedis) socket() string { return filepath.Join(r.dir, "redis.sock") }

func (r *privateRedis) url() string { return "unix://" + r.socket() + "?db=0" }

func (r *privateRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", "0", "--unixsocket", r.socket(),
		"--save", "", "--appendonly", "no", "--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	r.exit = make(chan error, 1)
	go func(cmd *exec.Cmd, exit chan<- error) { exit <- cmd.Wait() }(r.cmd, r.exit)
	client := r.client()
	defer client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for client.Ping(context.Background()).Err() != nil {
		select {
		case err := <-r.exit:
			log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			r.cmd = nil
			r.t.Fatalf("private redis-server exited at start: %v\n%s", err, log)
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("private redis-server at %s did not answer within 10s", r.socket())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL, as a crash would.
func (r *privateRedis) kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.exit
	r.cmd = nil
}

func (r *privateRedis) client() *redis.Client {
	return redis.NewClient(&redis.Options{Network: "unix", Addr: r.socket(), DialTimeout: time.Second})
}

// demoHomestays returns the ids of the demo catalogue's preferred homestays. The launcher is
// ready when the BFF serves; travel may still be seeding the demo data then, so it waits.
func demoHomestays(t *testing.T, c clients) []int64 {
	t.Helper()
	var ids []int64
	testenv.Eventually(t, 60*time.Second, "the preferred demo homestays are listed", func() error {
		res, err := c.homestay.ListPreferredHomestays(context.Background(), connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{PageSize: 100}))
		if err != nil {
			return err
		}
		for _, h := range res.Msg.GetHomestays() {
			ids = append(ids, h.GetId())
		}
		if len(ids) == 0 {
			return errors.New("the list is empty")
		}
		return nil
	})
	return ids
}

// TestFaultRedisKilledDuringLoad kills the cache's Redis with SIGKILL while the detail page is
// under load, restarts it on the same port, and checks that no request failed and that the
// services use Redis again (they write values and resubscribe) without a restart.
func TestFaultRedisKilledDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test")
	}
	t.Parallel()
	rds := startPrivateRedis(t)
	sys := startSystem(t, systemOptions{backend: "postgres", seedDemo: true, env: map[string]string{"LOOKLOOK_REDIS_URL": rds.url()}})
	c := newClients(sys.hc, sys.bff)
	ids := demoHomestays(t, c)

	client := rds.client()
	defer client.Close()
	ctx := context.Background()
	subscribed, err := client.PubSubChannels(ctx, "*").Result()
	if err != nil || len(subscribed) == 0 {
		t.Fatalf("invalidation channels before the fault: %v, %v", subscribed, err)
	}

	var stats loadStats
	stop := make(chan struct{})
	wg := runLoad(t, 8, stop, func(w, i int) error {
		_, err := c.homestay.GetHomestay(context.Background(), connect.NewRequest(&bffv1.GetHomestayRequest{Id: ids[(w+i)%len(ids)]}))
		return err
	}, &stats)
	time.Sleep(700 * time.Millisecond)
	rds.kill()
	atKill := stats.okCount()
	time.Sleep(1500 * time.Millisecond)
	duringOutage := stats.okCount() - atKill
	rds.start()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(stats.codes) > 0 || stats.ok == 0 {
		t.Fatalf("requests while Redis was killed and restarted: %s; want every one to succeed", stats.String())
	}
	if duringOutage == 0 {
		t.Fatalf("no request completed while Redis was down (%s): the pages waited for it", stats.String())
	}
	t.Logf("requests while Redis was killed and restarted: %s (%d while it was down)", stats.String(), duringOutage)

	// The restarted Redis starts empty: values written to it and live subscriptions show the
	// services came back to it by themselves. Rows read during the outage may sit in L1 for
	// its TTL, so each round also reads a row no cache has seen: a new user's profile.
	deadline := time.Now().Add(15 * time.Second)
	for round := 0; ; round++ {
		for _, id := range ids {
			get(c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: id}))).must(t, "GetHomestay after Redis came back")
		}
		fresh := register(t, c, fmt.Sprintf("1366666%04d", round), "Fresh")
		get(c.account.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, fresh.GetTokens().GetAccessToken()))).must(t, "GetMe after Redis came back")
		all, keysErr := client.Keys(ctx, "*").Result()
		values := map[string]int{} // cached rows per service, not generation tokens
		for _, k := range all {
			for _, service := range []string{"usercenter:", "travel:"} {
				if strings.Contains(k, service) && !strings.Contains(k, ":gen:") {
					values[service]++
				}
			}
		}
		channels, chanErr := client.PubSubChannels(ctx, "*").Result()
		resubscribed := true
		for _, ch := range subscribed {
			resubscribed = resubscribed && contains(channels, ch)
		}
		if values["usercenter:"] > 0 && values["travel:"] > 0 && resubscribed {
			t.Logf("after the restart Redis holds cached rows %v (%d keys) and all %d invalidation channels have subscribers again", values, len(all), len(subscribed))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("15s after Redis came back it holds rows %v and channels %v (want rows of both services and every channel of %v; errors: %v, %v): the cache did not return to it",
				values, channels, subscribed, keysErr, chanErr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// terminateBackends ends every connection to the named databases (the test's own), as a
// database failover or restart would, and returns how many it ended.
func terminateBackends(ctx context.Context, admin *sql.DB, names []string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = ANY($1) AND pid <> pg_backend_pid()`, pq.Array(names)).Scan(&n)
	return n, err
}

// TestFaultDatabaseConnectionsLost terminates every connection of the test's databases
// repeatedly for two seconds while users update their profiles, write comments and read
// pages. While the database is unreachable requests may fail, but only with Unavailable; once
// it answers again everything works without a restart; and every write the API acknowledged
// is there afterwards.
func TestFaultDatabaseConnectionsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test")
	}
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "postgres", seedDemo: true})
	c := newClients(sys.hc, sys.bff)
	ctx := context.Background()
	ids := demoHomestays(t, c)

	const writers = 6
	type writer struct {
		token         string
		lastAcked     int   // the last nickname version acknowledged
		attemptedPast []int // versions tried after it whose outcome is unknown (failed calls)
		comments      map[int64]int64
		recovered     string // the nickname written after the fault, if any
	}
	ws := make([]*writer, writers)
	for i := range ws {
		reg := register(t, c, fmt.Sprintf("1367777%04d", i), fmt.Sprintf("Writer %d", i))
		ws[i] = &writer{token: reg.GetTokens().GetAccessToken(), comments: map[int64]int64{}}
	}

	admin, err := sql.Open("postgres", testenv.PostgresServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var names []string
	for _, u := range sys.dbs {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.TrimPrefix(pu.Path, "/"))
	}

	var writes, reads loadStats
	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopOnEnd(t, stop, &wg)
	for wi, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				nick := fmt.Sprintf("w%d-v%d", wi, i)
				_, err := c.account.UpdateMe(ctx, withToken(&bffv1.UpdateMeRequest{Nickname: &nick}, w.token))
				writes.record(err)
				if err == nil {
					w.lastAcked, w.attemptedPast = i, nil
				} else {
					w.attemptedPast = append(w.attemptedPast, i)
				}
				// One comment per user and homestay: comment each homestay once, in turn.
				if len(w.comments) < len(ids) {
					h := ids[len(w.comments)]
					res, err := c.comment.CreateComment(ctx, withToken(&bffv1.CreateCommentRequest{HomestayId: h, Content: "Written during a database fault.", Star: 4}, w.token))
					if connect.CodeOf(err) != connect.CodeAlreadyExists { // a retry of an unknown outcome
						writes.record(err)
					}
					if err == nil {
						w.comments[h] = res.Msg.GetComment().GetId()
					} else if connect.CodeOf(err) == connect.CodeAlreadyExists {
						w.comments[h] = 0 // written by a call whose answer was lost; not checked
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	readWG := runLoad(t, 4, stop, func(w, i int) error {
		_, err := c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: ids[(w+i)%len(ids)]}))
		return err
	}, &reads)

	time.Sleep(500 * time.Millisecond)
	terminated := 0
	faultEnd := time.Now().Add(2 * time.Second)
	for time.Now().Before(faultEnd) {
		n, err := terminateBackends(ctx, admin, names)
		if err != nil {
			t.Fatalf("terminate backends: %v", err)
		}
		terminated += n
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	readWG.Wait()
	if terminated == 0 {
		t.Fatalf("no connection of databases %v was terminated: the fault never happened", names)
	}
	t.Logf("terminated %d connections; writes: %s; reads: %s", terminated, writes.String(), reads.String())
	if writes.okCount() == 0 || reads.okCount() == 0 {
		t.Fatalf("no write or no read succeeded around the fault (writes: %s; reads: %s): the check below would prove nothing", writes.String(), reads.String())
	}
	for _, s := range []*loadStats{&writes, &reads} {
		for code := range s.codes {
			if code != connect.CodeUnavailable {
				t.Errorf("during the fault a call failed with %v (first: %v); want only unavailable", code, s.first[code])
			}
		}
	}

	// Recovery without a restart: reads and writes work again within a few seconds. The
	// nickname written here is then the one every later check expects.
	testenv.Eventually(t, 20*time.Second, "reads and writes work again after the fault", func() error {
		_, err1 := c.account.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, ws[0].token))
		_, err2 := c.comment.ListComments(ctx, connect.NewRequest(&bffv1.ListCommentsRequest{HomestayId: ids[0]}))
		nick := "w0-recovered"
		_, err3 := c.account.UpdateMe(ctx, withToken(&bffv1.UpdateMeRequest{Nickname: &nick}, ws[0].token))
		if err3 == nil {
			ws[0].lastAcked, ws[0].attemptedPast, ws[0].recovered = 0, nil, nick
		}
		return errors.Join(err1, err2, err3)
	})

	// No acknowledged write is lost.
	for wi, w := range ws {
		me := get(c.account.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, w.token))).must(t, "GetMe").Msg.GetUser()
		okNames := []string{fmt.Sprintf("w%d-v%d", wi, w.lastAcked)}
		for _, v := range w.attemptedPast {
			okNames = append(okNames, fmt.Sprintf("w%d-v%d", wi, v))
		}
		switch {
		case w.recovered != "":
			okNames = []string{w.recovered}
		case w.lastAcked == 0:
			okNames = append(okNames, fmt.Sprintf("Writer %d", wi))
		}
		if !contains(okNames, me.GetNickname()) {
			t.Errorf("writer %d: nickname %q after the fault; the last acknowledged update set %q", wi, me.GetNickname(), okNames[0])
		}
	}
	for wi, w := range ws {
		for h, id := range w.comments {
			if id == 0 {
				continue
			}
			found := false
			var token string
			for !found {
				page := get(c.comment.ListComments(ctx, connect.NewRequest(&bffv1.ListCommentsRequest{HomestayId: h, PageSize: 100, PageToken: token}))).must(t, "ListComments").Msg
				for _, cm := range page.GetComments() {
					found = found || cm.GetId() == id
				}
				if token = page.GetNextPageToken(); token == "" {
					break
				}
			}
			if !found {
				t.Errorf("writer %d: acknowledged comment %d on homestay %d is missing after the fault", wi, id, h)
			}
		}
	}
}

// shutdownCase is one program whose graceful shutdown is tested under load.
type shutdownCase struct {
	name string
	// start runs the program on ln until ctx is done.
	start func(t *testing.T, ctx context.Context, ln net.Listener) error
	// call makes one request to the program at baseURL.
	call func(ctx context.Context, hc *http.Client, baseURL string) error
}

// acceptedNothing tells whether a failed call never reached the program: the connection was
// refused (the listener had closed), or HTTP/2 reported the stream unprocessed — the graceful
// GOAWAY error, which Go's transport returns only for streams above the server's last stream
// id. "server sent GOAWAY and closed the connection" is not that: it hits streams the server
// had accepted, exactly what this test must catch.
func acceptedNothing(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "received Server's graceful shutdown GOAWAY")
}

// TestFaultGracefulShutdownUnderLoad cancels each program's context while it serves a steady
// stream of requests: every request it accepted must complete successfully; requests that
// arrive after it stopped accepting are refused before they are sent.
func TestFaultGracefulShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test")
	}
	t.Parallel()
	// The BFF's dependencies, and data for every program to read.
	sys := startSystem(t, systemOptions{backend: "sqlite", seedDemo: true})
	dir := t.TempDir()
	cases := []shutdownCase{
		{
			name: "identity",
			start: func(t *testing.T, ctx context.Context, ln net.Listener) error {
				env := config.FromMap(map[string]string{"LOOKLOOK_DATABASE_URL": testenv.SQLiteURL(t), "LOOKLOOK_SIGNING_KEY_FILE": filepath.Join(dir, "identity.key")})
				cfg := identity.ConfigFromEnv(env)
				if err := env.Err(); err != nil {
					return err
				}
				cfg.Listener = ln
				return identity.Run(ctx, cfg, testenv.Logger(t))
			},
			call: func(ctx context.Context, hc *http.Client, base string) error {
				_, err := identityv1connect.NewIdentityServiceClient(hc, base).ListRevocations(ctx, connect.NewRequest(&identityv1.ListRevocationsRequest{}))
				return err
			},
		},
		{
			name: "usercenter",
			start: func(t *testing.T, ctx context.Context, ln net.Listener) error {
				env := config.FromMap(map[string]string{"LOOKLOOK_DATABASE_URL": "sqlite:" + filepath.Join(sys.dataDir, "usercenter.db"),
					"LOOKLOOK_ARGON2_MEMORY_KIB": "1024", "LOOKLOOK_ARGON2_TIME": "1"})
				cfg := usercenter.ConfigFromEnv(env)
				if err := env.Err(); err != nil {
					return err
				}
				cfg.Listener = ln
				return usercenter.Run(ctx, cfg, testenv.Logger(t))
			},
			call: func(ctx context.Context, hc *http.Client, base string) error {
				_, err := usercenterv1connect.NewUserServiceClient(hc, base).BatchGetUsers(ctx, connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: []int64{1, 2, 3}}))
				return err
			},
		},
		{
			name: "travel",
			start: func(t *testing.T, ctx context.Context, ln net.Listener) error {
				env := config.FromMap(map[string]string{"LOOKLOOK_DATABASE_URL": "sqlite:" + filepath.Join(sys.dataDir, "travel.db")})
				cfg := travel.ConfigFromEnv(env)
				if err := env.Err(); err != nil {
					return err
				}
				cfg.Listener = ln
				return travel.Run(ctx, cfg, testenv.Logger(t))
			},
			call: func(ctx context.Context, hc *http.Client, base string) error {
				_, err := travelv1connect.NewTravelServiceClient(hc, base).ListPreferredHomestays(ctx, connect.NewRequest(&travelv1.ListPreferredHomestaysRequest{PageSize: 5}))
				return err
			},
		},
		{
			name: "bff",
			start: func(t *testing.T, ctx context.Context, ln net.Listener) error {
				env := config.FromMap(map[string]string{
					"LOOKLOOK_IDENTITY_URL": sys.services["identity"], "LOOKLOOK_USERCENTER_URL": sys.services["usercenter"],
					"LOOKLOOK_TRAVEL_URL": sys.services["travel"], "LOOKLOOK_WEB_APP": "false",
				})
				cfg := bff.ConfigFromEnv(env)
				if err := env.Err(); err != nil {
					return err
				}
				cfg.Listener = ln
				return bff.Run(ctx, cfg, testenv.Logger(t))
			},
			call: func(ctx context.Context, hc *http.Client, base string) error {
				_, err := newClients(hc, base).homestay.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{PageSize: 5}))
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			base := "http://" + ln.Addr().String()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- tc.start(t, ctx, ln) }()
			hc := rpcclient.NewHTTPClient()
			testenv.Eventually(t, 30*time.Second, tc.name+" serves", func() error {
				return tc.call(context.Background(), hc, base)
			})

			var ok, refused atomic.Int64
			var mu sync.Mutex
			var failures []error
			stop := make(chan struct{})
			var wg sync.WaitGroup
			stopOnEnd(t, stop, &wg)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						switch err := tc.call(context.Background(), hc, base); {
						case err == nil:
							ok.Add(1)
						case acceptedNothing(err):
							refused.Add(1)
							time.Sleep(5 * time.Millisecond)
						default:
							mu.Lock()
							failures = append(failures, err)
							mu.Unlock()
						}
					}
				}()
			}
			time.Sleep(500 * time.Millisecond)
			before := ok.Load()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s.Run after cancel: %v", tc.name, err)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("%s did not stop within 30s of its context ending", tc.name)
			}
			time.Sleep(300 * time.Millisecond) // requests keep coming after it stopped
			close(stop)
			wg.Wait()
			t.Logf("%s: %d ok (%d before shutdown began), %d refused before being sent, %d failed", tc.name, ok.Load(), before, refused.Load(), len(failures))
			if before == 0 {
				t.Fatalf("no request succeeded before the shutdown: the load never ran")
			}
			if refused.Load() == 0 {
				t.Errorf("no request was refused after the shutdown: the load did not outlast the program")
			}
			for i, err := range failures {
				if i == 5 {
					t.Errorf("… and %d more", len(failures)-5)
					break
				}
				t.Errorf("an accepted request failed during shutdown: %v (code %v)", err, connect.CodeOf(err))
			}
		})
	}
}
