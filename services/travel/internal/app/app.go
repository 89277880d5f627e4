// Package app holds travel's business rules: who sees which homestay, who may change what, how
// lists are ordered and paged, and how comments feed ratings. It knows neither the wire format
// (gen) nor the database (ent): Store is its only way to data.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/looklook/looklook/services/travel/internal/pagetoken"
)

// DefaultPageSize is the page size when a request asks for 0.
const DefaultPageSize = 20

// MaxPageSize is the largest page a list returns; the API rejects larger ones before this.
const MaxPageSize = 100

// Service applies the rules over a Store.
type Service struct {
	store  Store
	tokens *pagetoken.Signer
	logger *slog.Logger
}

// New returns a Service. pageTokenKey signs page tokens; every instance must use the same key.
func New(store Store, pageTokenKey []byte, logger *slog.Logger) (*Service, error) {
	tokens, err := pagetoken.NewSigner(pageTokenKey)
	if err != nil {
		return nil, fmt.Errorf("page token key: %w", err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{store: store, tokens: tokens, logger: logger}, nil
}

// pageSize turns a requested page size into the number of rows to return.
func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// Lists whose tokens a Service issues; a token only works for the list (and scope) it came from.
const (
	listPreferred         = "preferred"
	listBusinessHomestays = "business_homestays"
	listLandlordHomestays = "landlord_homestays"
	listBusinesses        = "businesses"
	listComments          = "comments"
)

// cursor decodes a page token for list and scope; an empty token is the first page (nil).
func (s *Service) cursor(token, list string, scope int64) (*pagetoken.Cursor, error) {
	if token == "" {
		return nil, nil
	}
	c, err := s.tokens.Decode(token, list, scope)
	if err != nil {
		return nil, ErrInvalidPageToken
	}
	return &c, nil
}

// beforeID is the keyset bound of an id-ordered list: 0 on the first page.
func beforeID(c *pagetoken.Cursor) int64 {
	if c == nil {
		return 0
	}
	return c.ID
}

// idPage fetches one page of an id-ordered list: size+1 ids tell whether there is a next page,
// whose token names the last id returned.
func (s *Service) idPage(list string, scope int64, size int, fetch func(before int64, limit int) ([]int64, error), c *pagetoken.Cursor) ([]int64, string, error) {
	ids, err := fetch(beforeID(c), size+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ids) > size {
		ids = ids[:size]
		next = s.tokens.Encode(pagetoken.Cursor{List: list, Scope: scope, ID: ids[len(ids)-1]})
	}
	return ids, next, nil
}

// orderedHomestays fetches homestays by id and returns those visible to viewer in the order of
// ids. A row that vanished or went off shelf between the list query and the fetch is skipped.
func (s *Service) orderedHomestays(ctx context.Context, ids []int64, viewer int64) ([]*Homestay, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := s.store.Homestays(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Homestay, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		h, ok := byID[id]
		if !ok || seen[id] || !h.VisibleTo(viewer) {
			continue
		}
		seen[id] = true
		out = append(out, h)
	}
	return out, nil
}

// orderedBusinesses fetches businesses by id and returns them in the order of ids.
func (s *Service) orderedBusinesses(ctx context.Context, ids []int64) ([]*Business, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := s.store.Businesses(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Business, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		b, ok := byID[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, b)
	}
	return out, nil
}

// isNotFound reports whether err says a row does not exist.
func isNotFound(err error) bool {
	return errors.Is(err, ErrHomestayNotFound) || errors.Is(err, ErrBusinessNotFound)
}
