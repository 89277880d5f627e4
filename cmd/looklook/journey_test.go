package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	"github.com/looklook/looklook/platform/authtoken"
	"github.com/looklook/looklook/platform/config"
	"github.com/looklook/looklook/platform/rpcclient"
)

// clients are typed clients of every public service.
type clients struct {
	account  bffv1connect.AccountServiceClient
	homestay bffv1connect.HomestayServiceClient
	business bffv1connect.BusinessServiceClient
	comment  bffv1connect.CommentServiceClient
	landlord bffv1connect.LandlordServiceClient
	admin    bffv1connect.AdminServiceClient
}

func newClients(hc *http.Client, base string, opts ...connect.ClientOption) clients {
	return clients{
		account:  bffv1connect.NewAccountServiceClient(hc, base, opts...),
		homestay: bffv1connect.NewHomestayServiceClient(hc, base, opts...),
		business: bffv1connect.NewBusinessServiceClient(hc, base, opts...),
		comment:  bffv1connect.NewCommentServiceClient(hc, base, opts...),
		landlord: bffv1connect.NewLandlordServiceClient(hc, base, opts...),
		admin:    bffv1connect.NewAdminServiceClient(hc, base, opts...),
	}
}

// result is a call's outcome, so tests can write get(client.Call(...)).must(t, "Call").
type result[T any] struct {
	v   T
	err error
}

func get[T any](v T, err error) result[T] { return result[T]{v, err} }

// must returns the value or fails the test, naming what was called.
func (r result[T]) must(t *testing.T, what string) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("%s: %v", what, r.err)
	}
	return r.v
}

// register signs a new user up.
func register(t *testing.T, c clients, mobile, nickname string) *bffv1.RegisterResponse {
	t.Helper()
	res := get(c.account.Register(context.Background(), connect.NewRequest(&bffv1.RegisterRequest{
		Mobile: mobile, Password: "correct-horse-1", Nickname: nickname,
	}))).must(t, "Register "+mobile)
	return res.Msg
}

// refresh returns a fresh access token, carrying roles granted since the last one.
func refresh(t *testing.T, c clients, tokens *bffv1.AuthTokens) *bffv1.AuthTokens {
	t.Helper()
	res := get(c.account.RefreshTokens(context.Background(), connect.NewRequest(&bffv1.RefreshTokensRequest{RefreshToken: tokens.GetRefreshToken()}))).must(t, "RefreshTokens")
	return res.Msg.GetTokens()
}

func homestayInput(title string, price int64) *bffv1.HomestayInput {
	return &bffv1.HomestayInput{
		Title: title, Subtitle: "Bright rooms by the water", BannerUrls: []string{"https://images.example.com/a.jpg", "https://images.example.com/b.jpg"},
		Info: "Two bedrooms and a garden.", PeopleCount: 4, SaleType: bffv1.SaleType_SALE_TYPE_PER_ROOM,
		FoodInfo: "Breakfast", FoodPriceCents: 2000, PriceCents: price, MarketPriceCents: price + 10000,
	}
}

func businessInput(title string) *bffv1.BusinessInput {
	return &bffv1.BusinessInput{Title: title, Info: "Family-run homestays.", BossInfo: "Hosting since 2012.", Tags: []string{"lake", "tea"}, Open: true}
}

func findHomestay(list []*bffv1.Homestay, id int64) *bffv1.Homestay {
	for _, h := range list {
		if h.GetId() == id {
			return h
		}
	}
	return nil
}

// TestJourney walks the product end to end through the BFF, on PostgreSQL with Redis and on
// SQLite with the in-process cache: a landlord publishes a homestay, an admin features it, a
// guest reviews it, the landlord changes the price, and every page shows the change at once.
func TestJourney(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"postgres", "sqlite"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			sys := startSystem(t, systemOptions{backend: backend})
			c := newClients(sys.hc, sys.bff)
			ctx := context.Background()

			landlord := register(t, c, "13922220001", "Lin")
			guest := register(t, c, "13922220002", "Guest Gao")
			admin := register(t, c, "13800000000", "Admin")
			if !contains(admin.GetUser().GetRoles(), "admin") {
				t.Fatalf("the configured admin mobile got roles %v", admin.GetUser().GetRoles())
			}

			// Open a business; the landlord role arrives with the next refresh.
			_, err := c.landlord.GetMyBusiness(ctx, withToken(&bffv1.GetMyBusinessRequest{}, landlord.GetTokens().GetAccessToken()))
			wantCode(t, err, connect.CodeNotFound)
			biz := get(c.landlord.CreateBusiness(ctx, withToken(&bffv1.CreateBusinessRequest{Business: businessInput("Lakeside Stays")}, landlord.GetTokens().GetAccessToken()))).must(t, "CreateBusiness").Msg.GetBusiness()
			if mine := get(c.landlord.GetMyBusiness(ctx, withToken(&bffv1.GetMyBusinessRequest{}, landlord.GetTokens().GetAccessToken()))).must(t, "GetMyBusiness").Msg.GetBusiness(); mine.GetId() != biz.GetId() {
				t.Fatalf("GetMyBusiness = %v, want business %d", mine, biz.GetId())
			}
			_, err = c.landlord.CreateHomestay(ctx, withToken(&bffv1.CreateHomestayRequest{Homestay: homestayInput("Lake House", 50000)}, landlord.GetTokens().GetAccessToken()))
			wantCode(t, err, connect.CodePermissionDenied)
			lt := refresh(t, c, landlord.GetTokens()).GetAccessToken()
			me := get(c.account.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, lt))).must(t, "GetMe").Msg.GetUser()
			if !contains(me.GetRoles(), "landlord") {
				t.Fatalf("after CreateBusiness and a refresh, roles = %v", me.GetRoles())
			}

			// A new homestay starts off shelf: hidden from the public, visible to its landlord.
			h := get(c.landlord.CreateHomestay(ctx, withToken(&bffv1.CreateHomestayRequest{Homestay: homestayInput("Lake House", 50000)}, lt))).must(t, "CreateHomestay").Msg.GetHomestay()
			if h.GetOnShelf() || h.GetBusinessTitle() != "Lakeside Stays" {
				t.Fatalf("new homestay = %v", h)
			}
			_, err = c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))
			wantCode(t, err, connect.CodeNotFound)
			get(c.homestay.GetHomestay(ctx, withToken(&bffv1.GetHomestayRequest{Id: h.GetId()}, lt))).must(t, "GetHomestay as landlord")

			get(c.landlord.SetHomestayOnShelf(ctx, withToken(&bffv1.SetHomestayOnShelfRequest{Id: h.GetId(), OnShelf: true}, lt))).must(t, "SetHomestayOnShelf")
			list := get(c.homestay.ListBusinessHomestays(ctx, connect.NewRequest(&bffv1.ListBusinessHomestaysRequest{BusinessId: biz.GetId()}))).must(t, "ListBusinessHomestays")
			if findHomestay(list.Msg.GetHomestays(), h.GetId()) == nil {
				t.Fatalf("on-shelf homestay missing from its business list: %v", list.Msg)
			}

			// The admin features it.
			at := admin.GetTokens().GetAccessToken()
			get(c.admin.SetActivity(ctx, withToken(&bffv1.SetActivityRequest{Kind: bffv1.ActivityKind_ACTIVITY_KIND_PREFERRED_HOMESTAY, DataId: h.GetId(), Enabled: true, SortOrder: 10}, at))).must(t, "SetActivity")
			get(c.admin.SetActivity(ctx, withToken(&bffv1.SetActivityRequest{Kind: bffv1.ActivityKind_ACTIVITY_KIND_GOOD_BOSS, DataId: biz.GetId(), Enabled: true}, at))).must(t, "SetActivity good boss")
			pref := get(c.homestay.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{}))).must(t, "ListPreferredHomestays")
			if findHomestay(pref.Msg.GetHomestays(), h.GetId()) == nil {
				t.Fatalf("featured homestay missing from the preferred list: %v", pref.Msg)
			}
			bosses := get(c.business.ListGoodBosses(ctx, connect.NewRequest(&bffv1.ListGoodBossesRequest{}))).must(t, "ListGoodBosses").Msg.GetBosses()
			if len(bosses) != 1 || bosses[0].GetProfile().GetNickname() != "Lin" || bosses[0].GetRank() != 1 {
				t.Fatalf("good bosses = %v", bosses)
			}

			// A guest reviews it: the comment shows the author's nickname and the rating moves.
			gt := guest.GetTokens().GetAccessToken()
			cm := get(c.comment.CreateComment(ctx, withToken(&bffv1.CreateCommentRequest{HomestayId: h.GetId(), Content: "Lovely garden.", Star: 4}, gt))).must(t, "CreateComment").Msg.GetComment()
			if cm.GetAuthor().GetNickname() != "Guest Gao" {
				t.Fatalf("comment author = %v", cm.GetAuthor())
			}
			_, err = c.comment.CreateComment(ctx, withToken(&bffv1.CreateCommentRequest{HomestayId: h.GetId(), Content: "Again!", Star: 5}, gt))
			wantCode(t, err, connect.CodeAlreadyExists)
			page := get(c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))).must(t, "GetHomestay").Msg
			if len(page.GetRecentComments()) != 1 || page.GetRecentComments()[0].GetAuthor().GetNickname() != "Guest Gao" {
				t.Fatalf("detail comments = %v", page.GetRecentComments())
			}
			if r := page.GetHomestay().GetRating(); r.GetCount() != 1 || r.GetAverage() != 4 {
				t.Fatalf("rating after one 4-star comment = %v", r)
			}
			if page.GetLandlord().GetNickname() != "Lin" || page.GetBusiness().GetTitle() != "Lakeside Stays" || len(page.GetDegraded()) != 0 {
				t.Fatalf("detail page = landlord %v, business %v, degraded %v", page.GetLandlord(), page.GetBusiness(), page.GetDegraded())
			}
			comments := get(c.comment.ListComments(ctx, connect.NewRequest(&bffv1.ListCommentsRequest{HomestayId: h.GetId()}))).must(t, "ListComments").Msg.GetComments()
			if len(comments) != 1 || comments[0].GetAuthor().GetNickname() != "Guest Gao" {
				t.Fatalf("ListComments = %v", comments)
			}

			// The landlord changes the price: every page shows it at once (read-your-writes
			// through the cache), and an edit based on the old version is refused.
			current := page.GetHomestay()
			upd := get(c.landlord.UpdateHomestay(ctx, withToken(&bffv1.UpdateHomestayRequest{Id: h.GetId(), Version: current.GetVersion(), Homestay: homestayInput("Lake House", 42000)}, lt))).must(t, "UpdateHomestay").Msg.GetHomestay()
			if upd.GetPriceCents() != 42000 {
				t.Fatalf("updated price = %d", upd.GetPriceCents())
			}
			_, err = c.landlord.UpdateHomestay(ctx, withToken(&bffv1.UpdateHomestayRequest{Id: h.GetId(), Version: current.GetVersion(), Homestay: homestayInput("Stale edit", 1)}, lt))
			wantCode(t, err, connect.CodeAborted)

			detail := get(c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))).must(t, "GetHomestay").Msg.GetHomestay()
			pref = get(c.homestay.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{}))).must(t, "ListPreferredHomestays")
			list = get(c.homestay.ListBusinessHomestays(ctx, connect.NewRequest(&bffv1.ListBusinessHomestaysRequest{BusinessId: biz.GetId()}))).must(t, "ListBusinessHomestays")
			mine := get(c.landlord.ListMyHomestays(ctx, withToken(&bffv1.ListMyHomestaysRequest{}, lt))).must(t, "ListMyHomestays")
			guess := get(c.homestay.ListGuessHomestays(ctx, connect.NewRequest(&bffv1.ListGuessHomestaysRequest{}))).must(t, "ListGuessHomestays")
			for name, got := range map[string]*bffv1.Homestay{
				"detail": detail, "preferred": findHomestay(pref.Msg.GetHomestays(), h.GetId()),
				"business list": findHomestay(list.Msg.GetHomestays(), h.GetId()), "my homestays": findHomestay(mine.Msg.GetHomestays(), h.GetId()),
				"guess": findHomestay(guess.Msg.GetHomestays(), h.GetId()),
			} {
				if got.GetPriceCents() != 42000 {
					t.Errorf("%s shows price %d right after the update, want 42000", name, got.GetPriceCents())
				}
			}

			// The business pages.
			bp := get(c.business.GetBusiness(ctx, connect.NewRequest(&bffv1.GetBusinessRequest{Id: biz.GetId()}))).must(t, "GetBusiness").Msg
			if bp.GetBoss().GetNickname() != "Lin" || bp.GetBusiness().GetRating().GetCount() != 1 {
				t.Fatalf("GetBusiness = %v", bp)
			}
			bl := get(c.business.ListBusinesses(ctx, connect.NewRequest(&bffv1.ListBusinessesRequest{}))).must(t, "ListBusinesses").Msg
			if len(bl.GetBusinesses()) != 1 || bl.GetBusinesses()[0].GetId() != biz.GetId() {
				t.Fatalf("ListBusinesses = %v", bl)
			}
			_, err = c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: 999999}))
			wantCode(t, err, connect.CodeNotFound)
			_, err = c.business.GetBusiness(ctx, connect.NewRequest(&bffv1.GetBusinessRequest{Id: 999999}))
			wantCode(t, err, connect.CodeNotFound)
		})
	}
}

// TestPermissionMatrix calls every protected method with each kind of bad credential.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "postgres"})
	c := newClients(sys.hc, sys.bff)
	ctx := context.Background()

	owner := register(t, c, "13933330001", "Owner")
	ot := owner.GetTokens()
	biz := get(c.landlord.CreateBusiness(ctx, withToken(&bffv1.CreateBusinessRequest{Business: businessInput("Owner's")}, ot.GetAccessToken()))).must(t, "CreateBusiness").Msg.GetBusiness()
	ownerToken := refresh(t, c, ot).GetAccessToken()
	h := get(c.landlord.CreateHomestay(ctx, withToken(&bffv1.CreateHomestayRequest{Homestay: homestayInput("Owner's house", 30000)}, ownerToken))).must(t, "CreateHomestay").Msg.GetHomestay()
	get(c.landlord.SetHomestayOnShelf(ctx, withToken(&bffv1.SetHomestayOnShelfRequest{Id: h.GetId(), OnShelf: true}, ownerToken))).must(t, "shelve")

	other := register(t, c, "13933330002", "Other")
	get(c.landlord.CreateBusiness(ctx, withToken(&bffv1.CreateBusinessRequest{Business: businessInput("Other's")}, other.GetTokens().GetAccessToken()))).must(t, "other CreateBusiness")
	otherLandlord := refresh(t, c, other.GetTokens()).GetAccessToken()
	plain := register(t, c, "13933330003", "Plain").GetTokens().GetAccessToken()

	// Forged, expired and revoked variants of a real user's token.
	victim := register(t, c, "13933330004", "Victim").GetTokens().GetAccessToken()
	key, err := authtoken.LoadOrCreateKey(filepath.Join(sys.dataDir, "identity-signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	signer := authtoken.NewSigner(key)
	claims, err := authtoken.NewVerifier(map[string]ed25519.PublicKey{signer.KeyID(): signer.PublicKey()}).Verify(ownerToken, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	adminClaims := claims
	adminClaims.Roles = []string{"user", "landlord", "admin"}
	forged, _ := authtoken.NewSigner(otherKey).Sign(adminClaims, time.Now())
	expiredClaims := claims
	expiredClaims.ExpiresAt = time.Now().Add(-time.Minute)
	expired, _ := signer.Sign(expiredClaims, time.Now().Add(-10*time.Minute))
	get(c.account.Logout(ctx, withToken(&bffv1.LogoutRequest{}, victim))).must(t, "Logout")

	type call func(token string) error
	calls := map[string]struct {
		do        call
		role      string // "user", "landlord" or "admin": the least a caller needs
		ownerOnly bool   // another landlord is PermissionDenied
	}{
		"AccountService.Logout": {role: "user", do: func(tk string) error {
			_, err := c.account.Logout(ctx, withToken(&bffv1.LogoutRequest{}, tk))
			return err
		}},
		"AccountService.GetMe": {role: "user", do: func(tk string) error {
			_, err := c.account.GetMe(ctx, withToken(&bffv1.GetMeRequest{}, tk))
			return err
		}},
		"AccountService.UpdateMe": {role: "user", do: func(tk string) error {
			n := "New name"
			_, err := c.account.UpdateMe(ctx, withToken(&bffv1.UpdateMeRequest{Nickname: &n}, tk))
			return err
		}},
		"CommentService.CreateComment": {role: "user", do: func(tk string) error {
			_, err := c.comment.CreateComment(ctx, withToken(&bffv1.CreateCommentRequest{HomestayId: h.GetId(), Content: "Nice", Star: 5}, tk))
			return err
		}},
		"LandlordService.CreateBusiness": {role: "user", do: func(tk string) error {
			_, err := c.landlord.CreateBusiness(ctx, withToken(&bffv1.CreateBusinessRequest{Business: businessInput("Another")}, tk))
			return err
		}},
		"LandlordService.GetMyBusiness": {role: "user", do: func(tk string) error {
			_, err := c.landlord.GetMyBusiness(ctx, withToken(&bffv1.GetMyBusinessRequest{}, tk))
			return err
		}},
		"LandlordService.UpdateBusiness": {role: "landlord", ownerOnly: true, do: func(tk string) error {
			_, err := c.landlord.UpdateBusiness(ctx, withToken(&bffv1.UpdateBusinessRequest{Id: biz.GetId(), Version: biz.GetVersion(), Business: businessInput("Taken over")}, tk))
			return err
		}},
		"LandlordService.CreateHomestay": {role: "landlord", do: func(tk string) error {
			_, err := c.landlord.CreateHomestay(ctx, withToken(&bffv1.CreateHomestayRequest{Homestay: homestayInput("X", 1)}, tk))
			return err
		}},
		"LandlordService.UpdateHomestay": {role: "landlord", ownerOnly: true, do: func(tk string) error {
			_, err := c.landlord.UpdateHomestay(ctx, withToken(&bffv1.UpdateHomestayRequest{Id: h.GetId(), Version: h.GetVersion(), Homestay: homestayInput("Taken over", 1)}, tk))
			return err
		}},
		"LandlordService.SetHomestayOnShelf": {role: "landlord", ownerOnly: true, do: func(tk string) error {
			_, err := c.landlord.SetHomestayOnShelf(ctx, withToken(&bffv1.SetHomestayOnShelfRequest{Id: h.GetId(), OnShelf: false}, tk))
			return err
		}},
		"LandlordService.ListMyHomestays": {role: "landlord", do: func(tk string) error {
			_, err := c.landlord.ListMyHomestays(ctx, withToken(&bffv1.ListMyHomestaysRequest{}, tk))
			return err
		}},
		"AdminService.SetActivity": {role: "admin", do: func(tk string) error {
			_, err := c.admin.SetActivity(ctx, withToken(&bffv1.SetActivityRequest{Kind: bffv1.ActivityKind_ACTIVITY_KIND_PREFERRED_HOMESTAY, DataId: h.GetId(), Enabled: true}, tk))
			return err
		}},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			for _, bad := range []struct{ what, token string }{
				{"no token", ""}, {"a forged token", forged}, {"an expired token", expired}, {"a revoked session's token", victim},
			} {
				if err := tc.do(bad.token); connect.CodeOf(err) != connect.CodeUnauthenticated {
					t.Errorf("with %s: code %v, want unauthenticated (%v)", bad.what, connect.CodeOf(err), err)
				}
			}
			switch tc.role {
			case "landlord", "admin":
				if err := tc.do(plain); connect.CodeOf(err) != connect.CodePermissionDenied {
					t.Errorf("as a user without the %s role: code %v, want permission_denied (%v)", tc.role, connect.CodeOf(err), err)
				}
			}
			if tc.role == "admin" {
				if err := tc.do(ownerToken); connect.CodeOf(err) != connect.CodePermissionDenied {
					t.Errorf("as a landlord: code %v, want permission_denied (%v)", connect.CodeOf(err), err)
				}
			}
			if tc.ownerOnly {
				if err := tc.do(otherLandlord); connect.CodeOf(err) != connect.CodePermissionDenied {
					t.Errorf("as another landlord: code %v, want permission_denied (%v)", connect.CodeOf(err), err)
				}
			}
		})
	}
	// The owner's homestay survived all of that unchanged and on shelf.
	got := get(c.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))).must(t, "GetHomestay").Msg.GetHomestay()
	if got.GetTitle() != "Owner's house" || !got.GetOnShelf() {
		t.Fatalf("the owner's homestay was changed by others: %v", got)
	}
}

// TestPageTokensAreChecked sends tampered and foreign page tokens to every paged list.
func TestPageTokensAreChecked(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "sqlite", seedDemo: true})
	c := newClients(sys.hc, sys.bff)
	ctx := context.Background()
	biz := get(c.business.ListBusinesses(ctx, connect.NewRequest(&bffv1.ListBusinessesRequest{PageSize: 2}))).must(t, "ListBusinesses").Msg
	if biz.GetNextPageToken() == "" {
		t.Fatal("demo data has fewer than three businesses")
	}
	foreign := biz.GetNextPageToken()
	pref := get(c.homestay.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{PageSize: 1}))).must(t, "ListPreferredHomestays").Msg
	if pref.GetNextPageToken() == "" {
		t.Fatal("demo data has fewer than two preferred homestays")
	}
	tamper := func(s string) string {
		b := []byte(s)
		i := len(b) / 2
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	firstHomestay := pref.GetHomestays()[0]
	lists := map[string]func(token string) error{
		"ListBusinesses": func(tk string) error {
			_, err := c.business.ListBusinesses(ctx, connect.NewRequest(&bffv1.ListBusinessesRequest{PageToken: tk}))
			return err
		},
		"ListPreferredHomestays": func(tk string) error {
			_, err := c.homestay.ListPreferredHomestays(ctx, connect.NewRequest(&bffv1.ListPreferredHomestaysRequest{PageToken: tk}))
			return err
		},
		"ListBusinessHomestays": func(tk string) error {
			_, err := c.homestay.ListBusinessHomestays(ctx, connect.NewRequest(&bffv1.ListBusinessHomestaysRequest{BusinessId: firstHomestay.GetBusinessId(), PageToken: tk}))
			return err
		},
		"ListComments": func(tk string) error {
			_, err := c.comment.ListComments(ctx, connect.NewRequest(&bffv1.ListCommentsRequest{HomestayId: firstHomestay.GetId(), PageToken: tk}))
			return err
		},
	}
	for name, list := range lists {
		t.Run(name, func(t *testing.T) {
			own := biz.GetNextPageToken()
			if name != "ListBusinesses" {
				own = pref.GetNextPageToken()
			}
			for what, tk := range map[string]string{"a tampered token": tamper(own), "garbage": "not-a-token", "another list's token": foreign} {
				if name == "ListBusinesses" && what == "another list's token" {
					tk = pref.GetNextPageToken()
				}
				err := list(tk)
				if connect.CodeOf(err) != connect.CodeInvalidArgument {
					t.Errorf("%s: code %v, want invalid_argument (%v)", what, connect.CodeOf(err), err)
				}
			}
		})
	}
}

// countingTransport counts the internal calls a BFF makes, by procedure.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[req.URL.Path]++
	c.mu.Unlock()
	return c.next.RoundTrip(req)
}

func (c *countingTransport) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.n
	c.n = map[string]int{}
	return out
}

// TestGetHomestayCallsAreBounded checks the detail page makes the same few internal calls
// whether a homestay has one comment or thirty: no call per comment.
func TestGetHomestayCallsAreBounded(t *testing.T) {
	t.Parallel()
	sys := startSystem(t, systemOptions{backend: "sqlite"})
	c := newClients(sys.hc, sys.bff)
	ctx := context.Background()
	owner := register(t, c, "13944440001", "Owner")
	get(c.landlord.CreateBusiness(ctx, withToken(&bffv1.CreateBusinessRequest{Business: businessInput("Counted")}, owner.GetTokens().GetAccessToken()))).must(t, "CreateBusiness")
	lt := refresh(t, c, owner.GetTokens()).GetAccessToken()
	h := get(c.landlord.CreateHomestay(ctx, withToken(&bffv1.CreateHomestayRequest{Homestay: homestayInput("Counted house", 30000)}, lt))).must(t, "CreateHomestay").Msg.GetHomestay()
	get(c.landlord.SetHomestayOnShelf(ctx, withToken(&bffv1.SetHomestayOnShelfRequest{Id: h.GetId(), OnShelf: true}, lt))).must(t, "shelve")

	counter := &countingTransport{next: rpcclient.NewHTTPClient().Transport, n: map[string]int{}}
	cfg := bff.ConfigFromEnv(config.FromMap(map[string]string{
		"LOOKLOOK_IDENTITY_URL": sys.services["identity"], "LOOKLOOK_USERCENTER_URL": sys.services["usercenter"], "LOOKLOOK_TRAVEL_URL": sys.services["travel"],
	}))
	cfg.HTTPClient = &http.Client{Transport: counter}
	base, hc := listenBFF(t, cfg)
	counted := newClients(hc, base)

	callsFor := func() (map[string]int, int) {
		counter.take()
		page := get(counted.homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))).must(t, "GetHomestay").Msg
		calls := counter.take()
		delete(calls, "/looklook.identity.v1.IdentityService/ListRevocations") // background polling
		return calls, len(page.GetRecentComments())
	}
	comment := func(i int) {
		guest := register(t, c, fmt.Sprintf("139555%05d", i), fmt.Sprintf("Guest %d", i))
		get(c.comment.CreateComment(ctx, withToken(&bffv1.CreateCommentRequest{HomestayId: h.GetId(), Content: "Nice stay", Star: 5}, guest.GetTokens().GetAccessToken()))).must(t, "CreateComment")
	}
	comment(0)
	one, n1 := callsFor()
	for i := 1; i < 30; i++ {
		comment(i)
	}
	many, n30 := callsFor()
	if n1 != 1 || n30 != 10 {
		t.Fatalf("recent comments: %d then %d, want 1 then 10", n1, n30)
	}
	total := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if total(one) != total(many) || total(many) != 2 {
		t.Fatalf("internal calls with 1 comment: %v; with 30: %v — want the same two", one, many)
	}
	if many["/looklook.travel.v1.TravelService/GetHomestayDetail"] != 1 {
		t.Fatalf("the homestay, business and comments must come from one GetHomestayDetail: %v", many)
	}
	if many["/looklook.usercenter.v1.UserService/BatchGetUsers"] != 1 || many["/looklook.usercenter.v1.UserService/GetUser"] != 0 {
		t.Fatalf("users must come from one BatchGetUsers: %v", many)
	}

	// A BFF whose usercenter is unreachable still serves the page, without the profiles, and
	// says so.
	cfg = bff.ConfigFromEnv(config.FromMap(map[string]string{
		"LOOKLOOK_IDENTITY_URL": sys.services["identity"], "LOOKLOOK_TRAVEL_URL": sys.services["travel"],
		"LOOKLOOK_USERCENTER_URL": fmt.Sprintf("http://127.0.0.1:%d", freePort(t)),
	}))
	base, hc = listenBFF(t, cfg)
	page := get(newClients(hc, base).homestay.GetHomestay(ctx, connect.NewRequest(&bffv1.GetHomestayRequest{Id: h.GetId()}))).must(t, "GetHomestay without usercenter").Msg
	if page.GetHomestay().GetId() != h.GetId() || page.GetBusiness().GetTitle() != "Counted" || len(page.GetRecentComments()) != 10 ||
		page.GetLandlord() != nil || page.GetRecentComments()[0].GetAuthor().GetNickname() != "" ||
		!slices.Equal(page.GetDegraded(), []string{"landlord"}) {
		t.Fatalf("page without usercenter = homestay %d, business %q, %d comments, landlord %v, degraded %v",
			page.GetHomestay().GetId(), page.GetBusiness().GetTitle(), len(page.GetRecentComments()), page.GetLandlord(), page.GetDegraded())
	}
}
