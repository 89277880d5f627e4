package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// testBundle is a small bundle shaped like Vite's output.
func testBundle() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>looklook</title>")},
		"assets/index-AbC123.js":  {Data: []byte("console.log('app')")},
		"assets/index-XyZ789.css": {Data: []byte("body{margin:0}")},
		"favicon.svg":             {Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
		"robots.txt":              {Data: []byte("User-agent: *\n")},
	}
}

func do(t *testing.T, h http.Handler, method, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := newHandler(testBundle())
	const index = "<!doctype html><title>looklook</title>"
	tests := []struct {
		name        string
		method      string
		target      string
		status      int
		contentType string
		cache       string
		body        string // exact body when not empty
	}{
		{"the root serves index.html, revalidated", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", index},
		{"index.html by name is revalidated", "GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", index},
		{"a client-side route falls back to index.html", "GET", "/homestays/12", 200, "text/html; charset=utf-8", "no-cache", index},
		{"a nested client-side route with a query falls back", "GET", "/landlord/homestays/3/edit?tab=price", 200, "text/html; charset=utf-8", "no-cache", index},
		{"hashed scripts are immutable", "GET", "/assets/index-AbC123.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log('app')"},
		{"hashed styles are immutable", "GET", "/assets/index-XyZ789.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body{margin:0}"},
		{"unhashed root files are revalidated", "GET", "/favicon.svg", 200, "image/svg+xml", "no-cache", ""},
		{"text files get a charset", "GET", "/robots.txt", 200, "text/plain; charset=utf-8", "no-cache", "User-agent: *\n"},
		{"HEAD is served without a body", "HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"a missing asset is 404, not the app", "GET", "/assets/index-gone.js", 404, "", "no-store", ""},
		{"a missing file with an extension is 404", "GET", "/favicon.ico", 404, "", "no-store", ""},
		{"an unregistered looklook procedure is 404", "GET", "/looklook.bff.v1.NopeService/Get", 404, "", "no-store", ""},
		{"an unregistered looklook service root is 404", "GET", "/looklook.bff.v1.AccountService", 404, "", "no-store", ""},
		{"a gRPC infrastructure path is 404", "GET", "/grpc.health.v1.Health/Watch", 404, "", "no-store", ""},
		{"any proto-qualified service is 404", "GET", "/acme.shop.v1.CartService/GetCart", 404, "", "no-store", ""},
		{"a POST to an unregistered procedure is 404", "POST", "/looklook.bff.v1.NopeService/Get", 404, "", "no-store", ""},
		{"POST to a page is refused", "POST", "/", 405, "", "", ""},
		{"PUT to an asset is refused", "PUT", "/assets/index-AbC123.js", 405, "", "", ""},
		{"a path escaping the root is cleaned", "GET", "/../../etc/passwd", 200, "text/html; charset=utf-8", "no-cache", index},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, body := do(t, h, tt.method, tt.target, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %q)", res.StatusCode, tt.status, body)
			}
			if tt.contentType != "" {
				if got := res.Header.Get("Content-Type"); got != tt.contentType {
					t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
				}
			}
			if got := res.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD body = %q, want none", body)
			}
			if tt.status == 405 && res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", res.Header.Get("Allow"))
			}
			if tt.status != 200 && strings.Contains(body, "<title>looklook") {
				t.Errorf("a %d answer carries the app: %q", tt.status, body)
			}
			if tt.status == 200 && res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("X-Content-Type-Options: nosniff is missing")
			}
		})
	}
}

func TestHandlerRevalidation(t *testing.T) {
	t.Parallel()
	h := newHandler(testBundle())
	for _, target := range []string{"/", "/homestays/1", "/assets/index-AbC123.js"} {
		res, _ := do(t, h, "GET", target, nil)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", target)
		}
		res, body := do(t, h, "GET", target, http.Header{"If-None-Match": {etag}})
		if res.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with If-None-Match: status %d body %q, want 304 and no body", target, res.StatusCode, body)
		}
	}
	// The fallback and index.html are the same document, so they share an ETag.
	a, _ := do(t, h, "GET", "/", nil)
	b, _ := do(t, h, "GET", "/businesses/2", nil)
	if a.Header.Get("ETag") != b.Header.Get("ETag") {
		t.Errorf("index ETag %q != fallback ETag %q", a.Header.Get("ETag"), b.Header.Get("ETag"))
	}
}

func TestHandlerWithoutBundle(t *testing.T) {
	t.Parallel()
	h := newHandler(fstest.MapFS{})
	res, body := do(t, h, "GET", "/", nil)
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d, want 404 (body %q)", res.StatusCode, body)
	}
}

// TestHandlerBesideServices mounts the handler at "/" next to a Connect-style service path, as
// the BFF does, and checks that registered procedures win and unregistered ones are 404.
func TestHandlerBesideServices(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("/looklook.bff.v1.AccountService/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"service":true}`)
	}))
	mux.Handle("/", newHandler(testBundle()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{"POST", "/looklook.bff.v1.AccountService/GetMe", 200, `{"service":true}`},
		{"POST", "/looklook.bff.v1.HomestayService/GetHomestay", 404, ""},
		{"GET", "/looklook.bff.v1.HomestayService/GetHomestay", 404, ""},
		{"GET", "/homestays/5", 200, "<!doctype html><title>looklook</title>"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
		}
		if tt.body != "" && string(body) != tt.body {
			t.Errorf("%s %s: body %q, want %q", tt.method, tt.path, body, tt.body)
		}
	}
}

// TestEmbeddedBundle checks the committed bundle itself: an index.html that loads hashed
// assets which are all present and immutable.
func TestEmbeddedBundle(t *testing.T) {
	t.Parallel()
	h := Handler()
	res, body := do(t, h, "GET", "/", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "<div id=\"root\">") {
		t.Fatalf("GET / = %d %q; want the app's index.html (run make generate)", res.StatusCode, body)
	}
	refs := assetRefs(body)
	if len(refs) == 0 {
		t.Fatalf("index.html references no /assets/ files: %q", body)
	}
	for _, ref := range refs {
		res, _ := do(t, h, "GET", ref, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", ref, res.StatusCode)
		}
		if got := res.Header.Get("Cache-Control"); got != cacheImmutable {
			t.Errorf("%s: Cache-Control %q", ref, got)
		}
	}
}

// assetRefs returns the /assets/ paths that index.html's src and href attributes name.
func assetRefs(html string) []string {
	var refs []string
	for _, attr := range []string{`src="`, `href="`} {
		rest := html
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			end := strings.IndexByte(rest, '"')
			if end < 0 {
				break
			}
			if v := rest[:end]; strings.HasPrefix(v, "/assets/") {
				refs = append(refs, v)
			}
		}
	}
	return refs
}
