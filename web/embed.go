// Package web serves the looklook browser app: the bundle that `make generate` builds from this
// directory's TypeScript into dist/ and that is committed, so a fresh clone serves the app with no
// npm step. The BFF mounts Handler at "/", beside its Connect services.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// dist is the built bundle. all: keeps files whose names start with a dot or an underscore,
// which bundlers sometimes emit.
//
//go:embed all:dist
var dist embed.FS

// Cache-Control values. Files under /assets/ carry a content hash in their names, so a browser
// may keep them for a year; everything else, index.html above all, must be revalidated so a
// deploy is picked up on the next load (the ETag makes that revalidation a cheap 304).
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// contentTypes fixes the types of what a Vite bundle contains, so they do not depend on the
// host's mime.types; anything else falls back to the mime package.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".txt":         "text/plain; charset=utf-8",
	".wasm":        "application/wasm",
}

// Handler serves the embedded app: files from dist/, and index.html for any other GET so that
// client-side routes such as /homestays/12 load the app. Paths that look like RPCs (a
// dot-separated proto package such as /looklook.bff.v1.Nope/Method, or /grpc.*) are 404, never
// the app, so a mistyped or unregistered procedure fails like one. Only GET and HEAD are served.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid directory name, which "dist" is not; an empty
		// bundle then answers 404 like a binary built without the app.
		return newHandler(emptyFS{})
	}
	return newHandler(sub)
}

// file is one served file, read once at start: the bundle is small and immutable.
type file struct {
	body        []byte
	contentType string
	etag        string
}

type handler struct {
	files map[string]*file // by slash path without the leading slash
	index *file            // nil when the bundle has no index.html
}

func newHandler(fsys fs.FS) http.Handler {
	h := &handler{files: map[string]*file{}}
	// A walk error can only come from a broken embedded tree; serve what was read.
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(body)
		h.files[name] = &file{
			body:        body,
			contentType: contentType(name),
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		}
		return nil
	})
	h.index = h.files["index.html"]
	return h
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = path.Clean(p)
	// An RPC to a procedure nobody registered is 404 whatever its method: Connect and gRPC-Web
	// clients turn that into Unimplemented.
	if isAPIPath(p) {
		notFound(w)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" || name == "index.html" {
		h.serveIndex(w, r)
		return
	}
	if f, ok := h.files[name]; ok {
		cache := cacheRevalidate
		if strings.HasPrefix(name, "assets/") {
			cache = cacheImmutable
		}
		h.serve(w, r, f, cache)
		return
	}
	// A missing asset or any path naming a file (it has an extension) is a real 404: answering
	// with index.html would hand a script tag HTML, or cache a wrong answer for a year.
	if strings.HasPrefix(name, "assets/") || strings.Contains(path.Base(name), ".") {
		notFound(w)
		return
	}
	h.serveIndex(w, r)
}

// isAPIPath reports whether p looks like a Connect, gRPC or gRPC-Web procedure or another
// protocol endpoint rather than a page of the app.
func isAPIPath(p string) bool {
	if strings.HasPrefix(p, "/grpc.") || strings.Contains(p, "/looklook.") {
		return true
	}
	for seg := range strings.SplitSeq(strings.TrimPrefix(p, "/"), "/") {
		if isServiceName(seg) {
			return true
		}
	}
	return false
}

// isServiceName reports whether seg is a fully qualified protobuf service name such as
// "acme.shop.v1.CartService": lower-case package parts, then an upper-case service name.
func isServiceName(seg string) bool {
	parts := strings.Split(seg, ".")
	if len(parts) < 2 {
		return false
	}
	for i, part := range parts {
		if part == "" {
			return false
		}
		last := i == len(parts)-1
		for j, c := range part {
			switch {
			case c >= 'a' && c <= 'z', c == '_':
			case c >= '0' && c <= '9' && j > 0:
			case c >= 'A' && c <= 'Z' && last:
			default:
				return false
			}
		}
		if last && !(part[0] >= 'A' && part[0] <= 'Z') {
			return false
		}
	}
	return true
}

// emptyFS is a file system with nothing in it.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (h *handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	if h.index == nil {
		http.Error(w, "the web app was not built into this binary", http.StatusNotFound)
		return
	}
	h.serve(w, r, h.index, cacheRevalidate)
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, f *file, cache string) {
	hdr := w.Header()
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("Cache-Control", cache)
	hdr.Set("ETag", f.etag)
	hdr.Set("X-Content-Type-Options", "nosniff")
	// ServeContent answers If-None-Match with 304, ranges and HEAD. The zero modification time
	// leaves Last-Modified out: the ETag is the validator.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.Error(w, "404 page not found", http.StatusNotFound)
}
