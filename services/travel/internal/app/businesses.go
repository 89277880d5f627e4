package app

import "context"

// GetBusiness returns a business.
func (s *Service) GetBusiness(ctx context.Context, id int64) (*Business, error) {
	return s.store.Business(ctx, id)
}

// BatchGetBusinesses returns the businesses among ids in the order of ids, each once.
func (s *Service) BatchGetBusinesses(ctx context.Context, ids []int64) ([]*Business, error) {
	return s.orderedBusinesses(ctx, ids)
}

// GetBusinessByOwner returns the business a user owns.
func (s *Service) GetBusinessByOwner(ctx context.Context, ownerUserID int64) (*Business, error) {
	id, err := s.store.BusinessIDByOwner(ctx, ownerUserID)
	if err != nil {
		return nil, err
	}
	return s.store.Business(ctx, id)
}

// ListBusinesses returns a page of open businesses, newest first.
func (s *Service) ListBusinesses(ctx context.Context, size int, token string) ([]*Business, string, error) {
	size = pageSize(size)
	c, err := s.cursor(token, listBusinesses, 0)
	if err != nil {
		return nil, "", err
	}
	ids, next, err := s.idPage(listBusinesses, 0, size, func(before int64, limit int) ([]int64, error) {
		return s.store.OpenBusinessIDs(ctx, before, limit)
	}, c)
	if err != nil {
		return nil, "", err
	}
	bs, err := s.orderedBusinesses(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	return bs, next, nil
}

// ListGoodBosses returns the open businesses on the enabled good-boss list, best rated first by
// the Bayesian average of their comments (so one five-star review does not beat a hundred
// four-star ones), then the most reviewed.
func (s *Service) ListGoodBosses(ctx context.Context, size int) ([]*Business, error) {
	ids, err := s.store.GoodBossIDs(ctx, pageSize(size))
	if err != nil {
		return nil, err
	}
	return s.orderedBusinesses(ctx, ids)
}

// CreateBusiness creates the one business a user may own; the user becomes a landlord.
func (s *Service) CreateBusiness(ctx context.Context, ownerUserID int64, f BusinessFields) (*Business, error) {
	return s.store.CreateBusiness(ctx, ownerUserID, f)
}

// UpdateBusiness replaces a business's fields for its owner, if version is still current.
func (s *Service) UpdateBusiness(ctx context.Context, id, ownerUserID, version int64, f BusinessFields) (*Business, error) {
	return s.store.UpdateBusiness(ctx, id, func(b *Business) error {
		if b.OwnerUserID != ownerUserID {
			return ErrNotBusinessOwner
		}
		if b.Version != version {
			return ErrStaleBusiness
		}
		b.Fields = f
		return nil
	})
}
