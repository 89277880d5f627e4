package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/platform/rpcerror"
	"github.com/looklook/looklook/platform/server"
	"github.com/looklook/looklook/platform/testenv"
)

// users is a handler whose behaviour each test picks by user id.
type users struct {
	usercenterv1connect.UnimplementedUserServiceHandler
}

var errSecret = errors.New("pq: password authentication failed for user \"root\" at 10.0.0.3")

func (users) GetUser(_ context.Context, req *connect.Request[usercenterv1.GetUserRequest]) (*connect.Response[usercenterv1.GetUserResponse], error) {
	switch req.Msg.GetId() {
	case 1:
		return connect.NewResponse(&usercenterv1.GetUserResponse{User: &usercenterv1.User{Id: 1, Nickname: "ok"}}), nil
	case 2:
		return nil, errSecret // a handler that forgot to map an error
	case 3:
		panic("boom: internal detail")
	case 4:
		return nil, rpcerror.New(connect.CodeNotFound, "user not found")
	case 5:
		return nil, connect.NewError(connect.CodeInternal, fmt.Errorf("wrapped: %w", errSecret))
	case 6:
		return connect.NewResponse(&usercenterv1.GetUserResponse{User: &usercenterv1.User{Id: 6, Nickname: strings.Repeat("long ", 1000)}}), nil
	}
	return nil, rpcerror.New(connect.CodeUnimplemented, "no such case")
}

func serve(t *testing.T) (string, *http.Client) {
	t.Helper()
	logger := testenv.Logger(t)
	path, h := usercenterv1connect.NewUserServiceHandler(users{}, server.HandlerOptions(logger, server.Interceptors{})...)
	return testenv.Serve(t, server.Options{
		Logger:   logger,
		Services: []server.Service{{Name: usercenterv1connect.UserServiceName, Path: path, Handler: h}},
	})
}

func TestProtocolsCodesAndMasking(t *testing.T) {
	t.Parallel()
	base, hc := serve(t)
	protocols := map[string][]connect.ClientOption{
		"connect":  nil,
		"grpc":     {connect.WithGRPC()},
		"grpc-web": {connect.WithGRPCWeb()},
		"json":     {connect.WithProtoJSON()},
	}
	cases := []struct {
		name string
		id   int64
		code connect.Code
		msg  string
	}{
		{"a valid request succeeds", 1, 0, ""},
		{"an unmapped error becomes a generic Internal", 2, connect.CodeInternal, "internal error"},
		{"a panic becomes a generic Internal", 3, connect.CodeInternal, "internal error"},
		{"a mapped error keeps its code and message", 4, connect.CodeNotFound, "user not found"},
		{"an Internal connect error hides its text", 5, connect.CodeInternal, "internal error"},
		{"an invalid request is rejected by protovalidate", 0, connect.CodeInvalidArgument, "id"},
	}
	for pname, opts := range protocols {
		client := usercenterv1connect.NewUserServiceClient(hc, base, opts...)
		for _, tc := range cases {
			t.Run(pname+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				res, err := client.GetUser(context.Background(), connect.NewRequest(&usercenterv1.GetUserRequest{Id: tc.id}))
				if tc.code == 0 {
					if err != nil {
						t.Fatalf("GetUser: %v", err)
					}
					if res.Msg.GetUser().GetNickname() != "ok" {
						t.Fatalf("got %v", res.Msg)
					}
					return
				}
				if got := connect.CodeOf(err); got != tc.code {
					t.Fatalf("code = %v, want %v (err %v)", got, tc.code, err)
				}
				var ce *connect.Error
				if !errors.As(err, &ce) || !strings.Contains(ce.Message(), tc.msg) {
					t.Fatalf("message = %q, want it to contain %q", ce.Message(), tc.msg)
				}
				for _, leak := range []string{"pq:", "root", "10.0.0.3", "boom", "wrapped"} {
					if strings.Contains(ce.Message(), leak) {
						t.Fatalf("message %q leaks %q", ce.Message(), leak)
					}
				}
			})
		}
	}
}

func TestHealthAndReflection(t *testing.T) {
	t.Parallel()
	base, hc := serve(t)
	health := grpchealth.NewClient(hc, base, connect.WithGRPC())
	for _, svc := range []string{"", usercenterv1connect.UserServiceName} {
		res, err := health.Check(context.Background(), &grpchealth.CheckRequest{Service: svc})
		if err != nil {
			t.Fatalf("health %q: %v", svc, err)
		}
		if res.Status != grpchealth.StatusServing {
			t.Fatalf("health %q = %v, want SERVING", svc, res.Status)
		}
	}
	stream := grpcreflect.NewClient(hc, base).NewStream(context.Background())
	defer stream.Close()
	names, err := stream.ListServices()
	if err != nil {
		t.Fatalf("reflection: %v", err)
	}
	found := false
	for _, n := range names {
		found = found || string(n) == usercenterv1connect.UserServiceName
	}
	if !found {
		t.Fatalf("reflection lists %v, want %s", names, usercenterv1connect.UserServiceName)
	}
}

func TestMalformedRequests(t *testing.T) {
	t.Parallel()
	base, hc := serve(t)
	url := base + usercenterv1connect.UserServiceGetUserProcedure
	cases := []struct {
		name, contentType, body string
		status                  int
	}{
		{"malformed JSON", "application/json", `{"id":`, http.StatusBadRequest},
		{"wrong content type", "text/plain", `{"id":1}`, http.StatusUnsupportedMediaType},
		{"wrong field type", "application/json", `{"id":"abc"}`, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := hc.Post(url, tc.contentType, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.status)
			}
		})
	}
}

// TestCompressesOnlyLargeAnswers checks that a client accepting gzip gets small answers
// uncompressed (compressing them costs more than it saves) and large ones compressed.
func TestCompressesOnlyLargeAnswers(t *testing.T) {
	t.Parallel()
	base, hc := serve(t)
	for _, tc := range []struct {
		id       int64
		encoding string
	}{{1, ""}, {6, "gzip"}} {
		req, err := http.NewRequest(http.MethodPost, base+usercenterv1connect.UserServiceGetUserProcedure,
			strings.NewReader(fmt.Sprintf(`{"id": %d}`, tc.id)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		// Set by hand, so the transport hands over the body as sent instead of decoding it.
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("user %d: status %d: %s", tc.id, res.StatusCode, body)
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Fatalf("user %d: Content-Encoding %q (%d bytes), want %q", tc.id, got, len(body), tc.encoding)
		}
	}
}
