package server_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	platformserver "github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/testenv"
	"github.com/looklook/looklook/services/usercenter/internal/app"
	"github.com/looklook/looklook/services/usercenter/internal/lockout"
	"github.com/looklook/looklook/services/usercenter/internal/password"
	"github.com/looklook/looklook/services/usercenter/internal/server"
	"github.com/looklook/looklook/services/usercenter/internal/store"
)

// cheapParams keep handler tests fast; the usercenter package's Run test uses the defaults.
var cheapParams = password.Params{MemoryKiB: 1024, Time: 1, Threads: 1}

// defaultPolicy is generous enough that tests not about lock-out never hit it.
var defaultPolicy = lockout.Policy{MaxPerMobile: 100, MaxPerClient: 100, Window: time.Minute}

type options struct {
	// limiter builds the sign-in limiter; nil means in memory.
	limiter func(t *testing.T, p lockout.Policy) app.Limiter
	// policy is the limiter's policy; zero means defaultPolicy.
	policy lockout.Policy
}

// protocol is a client of the test server speaking one wire protocol.
type protocol struct {
	name   string
	client usercenterv1connect.UserServiceClient
}

// serve starts usercenter's handler on the production bootstrap with a fresh PostgreSQL
// database and returns a Connect client and a gRPC client of it.
func serve(t *testing.T, opts options) []protocol {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if opts.policy == (lockout.Policy{}) {
		opts.policy = defaultPolicy
	}
	var limiter app.Limiter = lockout.NewMemory(opts.policy)
	if opts.limiter != nil {
		limiter = opts.limiter(t, opts.policy)
	}
	logger := testenv.Logger(t)
	svc, err := app.New(st, limiter, cheapParams, logger)
	if err != nil {
		t.Fatal(err)
	}
	path, handler := usercenterv1connect.NewUserServiceHandler(server.New(svc), platformserver.HandlerOptions(logger, platformserver.Interceptors{})...)
	baseURL, httpClient := testenv.Serve(t, platformserver.Options{
		Services: []platformserver.Service{{Name: usercenterv1connect.UserServiceName, Path: path, Handler: handler}},
	})
	return []protocol{
		{"connect", usercenterv1connect.NewUserServiceClient(httpClient, baseURL)},
		{"grpc", usercenterv1connect.NewUserServiceClient(httpClient, baseURL, connect.WithGRPC())},
	}
}

// limiters are the sign-in limiters the lock-out tests run with.
func limiters() []struct {
	name string
	new  func(t *testing.T, p lockout.Policy) app.Limiter
} {
	return []struct {
		name string
		new  func(t *testing.T, p lockout.Policy) app.Limiter
	}{
		{"memory", func(t *testing.T, p lockout.Policy) app.Limiter { return lockout.NewMemory(p) }},
		{"redis", func(t *testing.T, p lockout.Policy) app.Limiter {
			client, prefix := testenv.Redis(t)
			return lockout.NewRedis(client, prefix, p, testenv.Logger(t))
		}},
	}
}

// mobile returns a distinct valid mobile number for each n.
func mobile(n int) string { return fmt.Sprintf("138%08d", n) }

func register(t *testing.T, c usercenterv1connect.UserServiceClient, mobile, password, nickname string) *usercenterv1.User {
	t.Helper()
	res, err := c.Register(context.Background(), connect.NewRequest(&usercenterv1.RegisterRequest{
		Mobile: mobile, Password: password, Nickname: nickname,
	}))
	if err != nil {
		t.Fatalf("register %s: %v", mobile, err)
	}
	return res.Msg.GetUser()
}

// wantError fails unless err has the code and, when message is not empty, exactly that public
// message: nothing internal may leak into it.
func wantError(t *testing.T, err error, code connect.Code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", code)
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a Connect error", err)
	}
	if ce.Code() != code {
		t.Fatalf("code = %v (%q), want %v", ce.Code(), ce.Message(), code)
	}
	if message != "" && ce.Message() != message {
		t.Fatalf("message = %q, want %q", ce.Message(), message)
	}
}
