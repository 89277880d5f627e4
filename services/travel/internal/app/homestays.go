package app

import (
	"context"

	"github.com/looklook/looklook/services/travel/internal/pagetoken"
)

// GetHomestay returns a homestay visible to viewer (0 for anonymous).
func (s *Service) GetHomestay(ctx context.Context, id, viewer int64) (*Homestay, error) {
	h, err := s.store.Homestay(ctx, id)
	if err != nil {
		return nil, err
	}
	if !h.VisibleTo(viewer) {
		// Hidden looks exactly like missing, so ids of off-shelf homestays leak nothing.
		return nil, ErrHomestayNotFound
	}
	return h, nil
}

// BatchGetHomestays returns the homestays among ids visible to viewer, in the order of ids,
// each once.
func (s *Service) BatchGetHomestays(ctx context.Context, ids []int64, viewer int64) ([]*Homestay, error) {
	return s.orderedHomestays(ctx, ids, viewer)
}

// ListPreferredHomestays returns a page of the preferred list: enabled entries whose homestay is
// on shelf, by sort order then newest entry.
func (s *Service) ListPreferredHomestays(ctx context.Context, size int, token string) ([]*Homestay, string, error) {
	size = pageSize(size)
	c, err := s.cursor(token, listPreferred, 0)
	if err != nil {
		return nil, "", err
	}
	var after *ActivityKey
	if c != nil {
		after = &ActivityKey{SortOrder: int32(c.Order), ID: c.ID}
	}
	entries, err := s.store.PreferredEntries(ctx, after, size+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(entries) > size {
		entries = entries[:size]
		last := entries[len(entries)-1]
		next = s.tokens.Encode(pagetoken.Cursor{List: listPreferred, Order: int64(last.SortOrder), ID: last.ID})
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.DataID
	}
	hs, err := s.orderedHomestays(ctx, ids, 0)
	if err != nil {
		return nil, "", err
	}
	return hs, next, nil
}

// ListBusinessHomestays returns a page of a business's on-shelf homestays, newest first. An
// unknown business is ErrBusinessNotFound.
func (s *Service) ListBusinessHomestays(ctx context.Context, businessID int64, size int, token string) ([]*Homestay, string, error) {
	size = pageSize(size)
	c, err := s.cursor(token, listBusinessHomestays, businessID)
	if err != nil {
		return nil, "", err
	}
	if _, err := s.store.Business(ctx, businessID); err != nil {
		return nil, "", err
	}
	ids, next, err := s.idPage(listBusinessHomestays, businessID, size, func(before int64, limit int) ([]int64, error) {
		return s.store.BusinessHomestayIDs(ctx, businessID, before, limit)
	}, c)
	if err != nil {
		return nil, "", err
	}
	hs, err := s.orderedHomestays(ctx, ids, 0)
	if err != nil {
		return nil, "", err
	}
	return hs, next, nil
}

// ListLandlordHomestays returns a page of a landlord's homestays, on and off shelf, newest
// first. A user without a business has none.
func (s *Service) ListLandlordHomestays(ctx context.Context, landlordUserID int64, size int, token string) ([]*Homestay, string, error) {
	size = pageSize(size)
	c, err := s.cursor(token, listLandlordHomestays, landlordUserID)
	if err != nil {
		return nil, "", err
	}
	ids, next, err := s.idPage(listLandlordHomestays, landlordUserID, size, func(before int64, limit int) ([]int64, error) {
		return s.store.LandlordHomestayIDs(ctx, landlordUserID, before, limit)
	}, c)
	if err != nil {
		return nil, "", err
	}
	hs, err := s.orderedHomestays(ctx, ids, landlordUserID)
	if err != nil {
		return nil, "", err
	}
	return hs, next, nil
}

// guessRounds bounds how many ranking batches ListGuessHomestays reads while skipping homestays
// the user has reviewed, so a prolific reviewer costs a few queries, not a table scan.
const guessRounds = 5

// ListGuessHomestays suggests on-shelf homestays the user has not reviewed, best Bayesian rating
// first, then the most reviewed, then the newest. Homestays without comments rank at the prior
// (3 stars), newest first, so a young catalogue falls back to its newest homestays. Anonymous
// callers (userID 0) get the same ranking.
func (s *Service) ListGuessHomestays(ctx context.Context, userID int64, size int) ([]*Homestay, error) {
	size = pageSize(size)
	batch := max(2*size, 50)
	ids := make([]int64, 0, size)
	var after *RankKey
	for round := 0; round < guessRounds && len(ids) < size; round++ {
		keys, err := s.store.RankedHomestays(ctx, after, batch)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			break
		}
		candidates := make([]int64, len(keys))
		for i, k := range keys {
			candidates[i] = k.ID
		}
		var reviewed map[int64]bool
		if userID != 0 {
			if reviewed, err = s.store.CommentedAmong(ctx, userID, candidates); err != nil {
				return nil, err
			}
		}
		for _, id := range candidates {
			if !reviewed[id] && len(ids) < size {
				ids = append(ids, id)
			}
		}
		if len(keys) < batch {
			break
		}
		last := keys[len(keys)-1]
		after = &last
	}
	return s.orderedHomestays(ctx, ids, 0)
}

// CreateHomestay adds an off-shelf homestay to the business the landlord owns.
func (s *Service) CreateHomestay(ctx context.Context, landlordUserID int64, f HomestayFields) (*Homestay, error) {
	businessID, err := s.store.BusinessIDByOwner(ctx, landlordUserID)
	if err != nil {
		if isNotFound(err) {
			return nil, ErrNoBusiness
		}
		return nil, err
	}
	return s.store.CreateHomestay(ctx, businessID, landlordUserID, f)
}

// UpdateHomestay replaces a homestay's fields for its landlord, if version is still current.
func (s *Service) UpdateHomestay(ctx context.Context, id, landlordUserID, version int64, f HomestayFields) (*Homestay, error) {
	return s.store.UpdateHomestay(ctx, id, func(h *Homestay) error {
		if h.LandlordUserID != landlordUserID {
			return ErrNotHomestayOwner
		}
		if h.Version != version {
			return ErrStaleHomestay
		}
		h.Fields = f
		return nil
	})
}

// SetHomestayOnShelf puts a homestay on or off the shelf for its landlord. It takes no version:
// the shelf state is a single switch, and setting it twice is harmless.
func (s *Service) SetHomestayOnShelf(ctx context.Context, id, landlordUserID int64, onShelf bool) (*Homestay, error) {
	return s.store.UpdateHomestay(ctx, id, func(h *Homestay) error {
		if h.LandlordUserID != landlordUserID {
			return ErrNotHomestayOwner
		}
		h.OnShelf = onShelf
		return nil
	})
}
