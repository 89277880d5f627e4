package rpcerror

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"connectrpc.com/connect"
	"github.com/lib/pq"
)

var errSentinel = errors.New("homestay not found")

func TestPublic(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		code connect.Code
	}{
		{"a plain error is Internal", errors.New("pq: relation x does not exist"), connect.CodeInternal},
		{"an Internal connect error is masked", connect.NewError(connect.CodeInternal, errors.New("secret")), connect.CodeInternal},
		{"a client-facing connect error passes", connect.NewError(connect.CodeNotFound, errors.New("user not found")), connect.CodeNotFound},
		{"a cancelled context is Canceled", fmt.Errorf("query: %w", context.Canceled), connect.CodeCanceled},
		{"a broken connection is Unavailable", fmt.Errorf("query: %w", driver.ErrBadConn), connect.CodeUnavailable},
		{"a refused dial is Unavailable", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, connect.CodeUnavailable},
		{"PostgreSQL shutting down is Unavailable", fmt.Errorf("get: %w", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}), connect.CodeUnavailable},
		{"PostgreSQL out of connections is Unavailable", &pq.Error{Code: "53300", Message: "sorry, too many clients already"}, connect.CodeUnavailable},
		{"PostgreSQL with a full disk is Internal", &pq.Error{Code: "53100", Message: "could not extend file: No space left on device"}, connect.CodeInternal},
		{"a PostgreSQL constraint error is Internal", &pq.Error{Code: "23505", Message: "duplicate key value violates unique constraint users_mobile"}, connect.CodeInternal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Public(tc.err)
			if connect.CodeOf(got) != tc.code {
				t.Fatalf("code = %v, want %v", connect.CodeOf(got), tc.code)
			}
			var ce *connect.Error
			if !errors.As(got, &ce) {
				t.Fatalf("not a connect error: %T", got)
			}
			for _, leak := range []string{"pq:", "secret", "relation", "constraint", "administrator", "connection refused"} {
				if tc.code != connect.CodeNotFound && strings.Contains(ce.Message(), leak) {
					t.Fatalf("message %q leaks %q", ce.Message(), leak)
				}
			}
			if tc.code != connect.CodeNotFound && !errors.Is(Cause(got), tc.err) {
				t.Fatalf("Cause lost the original error")
			}
		})
	}
}

func TestMap(t *testing.T) {
	t.Parallel()
	rules := []Rule{{Err: errSentinel, Code: connect.CodeNotFound}}
	if got := Map(fmt.Errorf("load 7: %w", errSentinel), rules...); connect.CodeOf(got) != connect.CodeNotFound || !strings.Contains(got.Error(), "homestay not found") {
		t.Fatalf("Map(sentinel) = %v", got)
	}
	if got := Map(errors.New("boom"), rules...); connect.CodeOf(got) != connect.CodeInternal {
		t.Fatalf("Map(other) = %v", got)
	}
}

func TestDownstream(t *testing.T) {
	t.Parallel()
	// Errors that did not come over the wire (a dial failure) never pass their text on.
	dial := connect.NewError(connect.CodeUnavailable, errors.New("dial tcp 127.0.0.1:8081: connect: connection refused"))
	got := Downstream(dial)
	if connect.CodeOf(got) != connect.CodeUnavailable || strings.Contains(got.Error(), "127.0.0.1") {
		t.Fatalf("Downstream(dial) = %v", got)
	}
	local := connect.NewError(connect.CodeInvalidArgument, errors.New("message too big: 1234 bytes"))
	if got := Downstream(local); connect.CodeOf(got) != connect.CodeInternal {
		t.Fatalf("Downstream(client-side InvalidArgument) = %v, want Internal", got)
	}
}
