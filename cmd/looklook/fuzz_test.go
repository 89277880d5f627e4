package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	"github.com/looklook/looklook/services/travel/demo"
)

// The fuzz targets post arbitrary bytes, as Connect JSON and as binary protobuf, to every
// procedure of each public service, anonymously and with a user's, a landlord's and an admin's
// token, and check what any client could see: never a 5xx, never the internal or unknown code,
// never internal text (a stack trace, SQL, Ent or driver errors) in an error. Their seed corpora
// (below, each seed sent with every credential) run in every `go test`; `go test -fuzz
// FuzzAccountService` and friends search further.

// fuzzTarget is a running system and the credentials a fuzz input picks from.
type fuzzTarget struct {
	base string
	hc   *http.Client
	c    clients
	// mobiles are the accounts behind tokens (anonymous, user, landlord, admin); a Logout
	// ends a token's session, so the account signs in again to keep later inputs authenticated.
	mobiles []string
	tokens  []string
}

// fuzzPassword is the password of every account the fuzz targets sign in with.
const fuzzPassword = DemoPassword

// startFuzzSystem runs the launcher on SQLite with the demo data and signs in a user, a
// landlord and an admin.
func startFuzzSystem(f *testing.F) *fuzzTarget {
	f.Helper()
	sys := startSystem(f, systemOptions{backend: "sqlite", seedDemo: true, env: map[string]string{
		"LOOKLOOK_WEB_APP": "false",
		// Fuzzing sends thousands of logins; the lock-out must not turn them all into one answer.
		"LOOKLOOK_LOGIN_MAX_FAILURES_PER_CLIENT": "1000000", "LOOKLOOK_LOGIN_MAX_FAILURES_PER_MOBILE": "1000000",
	}})
	sys.hc.Timeout = 30 * time.Second
	ft := &fuzzTarget{base: sys.bff, hc: sys.hc, c: newClients(sys.hc, sys.bff)}
	const userMobile = "13612345678"
	if _, err := ft.c.account.Register(context.Background(), connect.NewRequest(&bffv1.RegisterRequest{Mobile: userMobile, Password: fuzzPassword, Nickname: "Fuzzer"})); err != nil {
		f.Fatalf("register: %v", err)
	}
	// The demo catalogue's landlords own its businesses.
	ft.mobiles = []string{"", userMobile, demo.Landlords()[0].Mobile, DemoAdminMobile}
	ft.tokens = make([]string, len(ft.mobiles))
	for who := 1; who < len(ft.mobiles); who++ {
		if err := ft.signIn(who); err != nil {
			f.Fatal(err)
		}
	}
	return ft
}

// signIn replaces credential who's token with a fresh session's.
func (ft *fuzzTarget) signIn(who int) error {
	res, err := ft.c.account.Login(context.Background(), connect.NewRequest(&bffv1.LoginRequest{Mobile: ft.mobiles[who], Password: fuzzPassword}))
	if err != nil {
		return fmt.Errorf("login %s: %w", ft.mobiles[who], err)
	}
	ft.tokens[who] = res.Msg.GetTokens().GetAccessToken()
	return nil
}

// procedures lists every method of a public service, from its descriptor, so a method added
// later is fuzzed without touching this file.
func procedures(tb testing.TB, service string) []string {
	tb.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		tb.Fatalf("service %s: %v", service, err)
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
	id := int(who) % len(ft.tokens)
	if tk := ft.tokens[id]; tk != "" {
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
		if procedure == bffv1connect.AccountServiceLogoutProcedure && id != 0 {
			// The session is over: sign in again, or every later input would only test
			// "not signed in".
			if err := ft.signIn(id); err != nil {
				t.Fatal(err)
			}
		}
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
	if m := internalText.FindString(e.Message); m != "" && !strings.Contains(strings.ToLower(string(body)), strings.ToLower(m)) {
		// A decoding error may quote the input; only text the input did not contain is a leak.
		t.Fatalf("%s (%s, %q): the error leaks internal text %q: %s", procedure, contentType, body, m, out)
	}
}

// internalText matches text that only internal errors contain, looked for in the message a
// client reads.
var internalText = regexp.MustCompile(`(?i)goroutine \d|panic|\bsql\b|\bent: |\bpq: |runtime error|nil pointer|dial tcp|127\.0\.0\.1|\.go:\d`)

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
		for who := range uint8(4) { // anonymous, user, landlord, admin
			for _, s := range append(generic, seeds...) {
				f.Add(uint8(i), []byte(s), true, who)
			}
			for _, s := range binary {
				f.Add(uint8(i), []byte(s), false, who)
			}
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

// Keep the descriptor-derived list honest: procedures must list every generated procedure
// constant of the services fuzzed (a sample of each).
func TestFuzzProceduresCoverGeneratedConstants(t *testing.T) {
	want := []string{
		bffv1connect.AccountServiceRegisterProcedure, bffv1connect.AccountServiceUpdateMeProcedure,
		bffv1connect.AccountServiceLogoutProcedure,
		bffv1connect.HomestayServiceGetHomestayProcedure, bffv1connect.BusinessServiceGetBusinessProcedure,
		bffv1connect.CommentServiceCreateCommentProcedure, bffv1connect.LandlordServiceUpdateHomestayProcedure,
		bffv1connect.AdminServiceSetActivityProcedure,
	}
	for _, p := range want {
		service, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		if got := procedures(t, service); !contains(got, p) {
			t.Errorf("procedures(%s) = %v, missing %s", service, got, p)
		}
	}
}
