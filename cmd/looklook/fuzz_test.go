package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	"github.com/looklook/looklook/platform/rpcclient"
	"github.com/looklook/looklook/services/travel/demo"
)

// The fuzz targets post arbitrary bytes, as Connect JSON and as binary protobuf, to every
// procedure of each public service, anonymously and with a user's, a landlord's and an admin's
// token, and check what any client could see: never a 5xx, never the internal or unknown code,
// never internal text (a stack trace, SQL, Ent or driver errors) in an error. Their seed corpora
// (below and in testdata/fuzz) run in every `go test`; `go test -fuzz FuzzAccountService` and
// friends search further.

// fuzzTarget is a running system and the credentials a fuzz input picks from.
type fuzzTarget struct {
	base   string
	hc     *http.Client
	tokens []string // anonymous, user, landlord, admin
}

// startFuzzSystem runs the launcher on SQLite with the demo data (startSystem takes a *testing.T;
// a fuzz target sets up with a *testing.F).
func startFuzzSystem(f *testing.F) *fuzzTarget {
	f.Helper()
	dir := f.TempDir()
	cfg := Config{DataDir: dir, SeedDemo: true, AdminMobiles: []string{DemoAdminMobile}}
	cfg.databaseURLs = map[string]string{}
	for _, name := range []string{"identity", "usercenter", "travel"} {
		cfg.databaseURLs[name] = "sqlite:" + filepath.Join(dir, name+".db")
	}
	cfg.extraEnv = map[string]string{
		"LOOKLOOK_ARGON2_MEMORY_KIB": "1024", "LOOKLOOK_ARGON2_TIME": "1", "LOOKLOOK_WEB_APP": "false",
		// Fuzzing sends thousands of logins; the lock-out must not turn them all into one answer.
		"LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT": "1000000", "LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE": "1000000",
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	cfg.bffListener = ln
	ready := make(chan string, 1)
	cfg.ready = func(bffURL string, _ map[string]string) { ready <- bffURL }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, io.Discard) }()
	f.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			f.Errorf("launcher did not stop within 30s")
		}
	})
	ft := &fuzzTarget{hc: rpcclient.NewHTTPClient()}
	select {
	case ft.base = <-ready:
	case err := <-done:
		f.Fatalf("launcher stopped: %v", err)
	case <-time.After(60 * time.Second):
		f.Fatal("launcher not ready after 60s")
	}
	ft.hc.Timeout = 30 * time.Second

	c := newClients(ft.hc, ft.base)
	login := func(mobile string) string {
		res, err := c.account.Login(ctx, connect.NewRequest(&bffv1.LoginRequest{Mobile: mobile, Password: DemoPassword}))
		if err != nil {
			f.Fatalf("login %s: %v", mobile, err)
		}
		return res.Msg.GetTokens().GetAccessToken()
	}
	user, err := c.account.Register(ctx, connect.NewRequest(&bffv1.RegisterRequest{Mobile: "13612345678", Password: "correct-horse-1", Nickname: "Fuzzer"}))
	if err != nil {
		f.Fatalf("register: %v", err)
	}
	// The demo catalogue's landlords own its businesses.
	ft.tokens = []string{"", user.Msg.GetTokens().GetAccessToken(), login(demo.Landlords()[0].Mobile), login(DemoAdminMobile)}
	return ft
}

// procedures lists every method of a public service, from its descriptor, so a method added
// later is fuzzed without touching this file.
func procedures(f *testing.F, service string) []string {
	f.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		f.Fatalf("service %s: %v", service, err)
	}
	methods := d.(protoreflect.ServiceDescriptor).Methods()
	out := make([]string, methods.Len())
	for i := range out {
		out[i] = "/" + service + "/" + string(methods.Get(i).Name())
	}
	return out
}

// check posts body to procedure and fails on any answer a client must never get.
func (ft *fuzzTarget) check(t *testing.T, procedure string, body []byte, asJSON bool, who uint8) {
	contentType := "application/proto"
	if asJSON {
		contentType = "application/json"
	}
	req, err := http.NewRequest(http.MethodPost, ft.base+procedure, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Connect-Protocol-Version", "1")
	if tk := ft.tokens[int(who)%len(ft.tokens)]; tk != "" {
		req.Header.Set("Authorization", "Bearer "+tk)
	}
	res, err := ft.hc.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", procedure, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		t.Fatalf("%s: read answer: %v", procedure, err)
	}
	if res.StatusCode >= 500 {
		t.Fatalf("%s (%s, %q): HTTP %d: %s", procedure, contentType, body, res.StatusCode, out)
	}
	if res.StatusCode == http.StatusOK {
		return
	}
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatalf("%s (%s, %q): HTTP %d with a body that is no Connect error: %q", procedure, contentType, body, res.StatusCode, out)
	}
	switch e.Code {
	case connect.CodeInternal.String(), connect.CodeUnknown.String(), connect.CodeDataLoss.String(), "":
		t.Fatalf("%s (%s, %q): code %q: %s", procedure, contentType, body, e.Code, out)
	}
	// Text that only internal errors contain, looked for in the message a client reads.
	leak := regexp.MustCompile(`(?i)goroutine \d|panic|\bsql\b|\bent: |\bpq: |runtime error|nil pointer|dial tcp|\.go:\d`)
	if m := leak.FindString(e.Message); m != "" && !strings.Contains(strings.ToLower(string(body)), strings.ToLower(m)) {
		// A decoding error may quote the input; only text the input did not contain is a leak.
		t.Fatalf("%s (%s, %q): the error leaks internal text %q: %s", procedure, contentType, body, m, out)
	}
}

// fuzzService is the body of every target: seeds for each procedure, then the fuzz function.
func fuzzService(f *testing.F, service string, seeds ...string) {
	procs := procedures(f, service)
	generic := []string{
		`{}`, `null`, `[]`, `""`, `{"id":"1"}`, `{"id":1}`, `{"id":"-1"}`, `{"id":"9223372036854775807"}`, `{"id":1e400}`,
		`{"page_size":101}`, `{"page_size":-1}`, `{"page_token":"garbage"}`, `{"page_token":"` + strings.Repeat("A", 300) + `"}`,
		`{"unknown_field":true}`, `{"id":"1"` /* truncated */, "\xff\xfe\x00", strings.Repeat("[", 200),
	}
	binary := []string{"", "\x08\x01", "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "\x0a\x05hello", "\xff\xff\xff\xff", "\x12\x80\x80\x80\x80\x10"}
	for i := range procs {
		for j, s := range append(generic, seeds...) {
			f.Add(uint8(i), []byte(s), true, uint8(j))
		}
		for j, s := range binary {
			f.Add(uint8(i), []byte(s), false, uint8(j))
		}
	}
	ft := startFuzzSystem(f)
	f.Fuzz(func(t *testing.T, method uint8, body []byte, asJSON bool, who uint8) {
		ft.check(t, procs[int(method)%len(procs)], body, asJSON, who)
	})
}

func FuzzAccountService(f *testing.F) {
	fuzzService(f, bffv1connect.AccountServiceName,
		`{"mobile":"13912345678","password":"correct-horse-1","nickname":"A"}`,
		`{"mobile":"13912345678","password":"short"}`, `{"mobile":"1391234567x","password":"correct-horse-1"}`,
		`{"mobile":"`+DemoAdminMobile+`","password":"`+DemoPassword+`"}`,
		`{"refresh_token":"not-a-token"}`, `{"nickname":"`+strings.Repeat("n", 40)+`"}`, `{"nickname":""}`,
		`{"avatar":"javascript:alert(1)"}`, `{"sex":99}`, `{"info":"`+strings.Repeat("é", 600)+`"}`)
}

func FuzzHomestayService(f *testing.F) {
	fuzzService(f, bffv1connect.HomestayServiceName,
		`{"page_size":20}`, `{"business_id":"1","page_size":5}`, `{"business_id":"0"}`, `{"id":"999999"}`)
}

func FuzzBusinessService(f *testing.F) {
	fuzzService(f, bffv1connect.BusinessServiceName, `{"page_size":100}`, `{"id":"999999"}`)
}

func FuzzCommentService(f *testing.F) {
	fuzzService(f, bffv1connect.CommentServiceName,
		`{"homestay_id":"1","content":"Lovely.","star":5}`, `{"homestay_id":"1","content":"","star":0}`,
		`{"homestay_id":"1","content":"x","star":6}`, `{"homestay_id":"1","page_size":3}`, `{"homestay_id":"999999"}`)
}

func FuzzLandlordService(f *testing.F) {
	fuzzService(f, bffv1connect.LandlordServiceName,
		`{"business":{"title":"Fuzzed","open":true}}`, `{"business":{"title":""}}`,
		`{"homestay":{"title":"Fuzz house","price_cents":"100","people_count":2,"sale_type":"SALE_TYPE_PER_ROOM"}}`,
		`{"homestay":{"title":"x","price_cents":"-1"}}`, `{"id":"1","on_shelf":true}`,
		`{"id":"1","version":"1","homestay":{"title":"Stale"}}`, `{"id":"1","version":"1","business":{"title":"Stale"}}`)
}

func FuzzAdminService(f *testing.F) {
	fuzzService(f, bffv1connect.AdminServiceName,
		`{"kind":"ACTIVITY_KIND_PREFERRED_HOMESTAY","data_id":"1","enabled":true}`,
		`{"kind":"ACTIVITY_KIND_GOOD_BOSS","data_id":"999999","enabled":true}`, `{"kind":99,"data_id":"1"}`)
}

// Keep the descriptor-derived list honest: it must include the generated procedure constants.
func TestFuzzProceduresCoverGeneratedConstants(t *testing.T) {
	want := []string{
		bffv1connect.AccountServiceRegisterProcedure, bffv1connect.AccountServiceUpdateMeProcedure,
		bffv1connect.HomestayServiceGetHomestayProcedure, bffv1connect.BusinessServiceGetBusinessProcedure,
		bffv1connect.CommentServiceCreateCommentProcedure, bffv1connect.LandlordServiceUpdateHomestayProcedure,
		bffv1connect.AdminServiceSetActivityProcedure,
	}
	for _, p := range want {
		service, method, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
		if err != nil {
			t.Fatalf("%s: %v", service, err)
		}
		if d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method)) == nil {
			t.Errorf("%s is not in the %s descriptor", p, service)
		}
	}
}
