package app

import "context"

// SetActivity adds or changes the entry of a curated list for data_id, which must exist: a
// homestay for the preferred list (on shelf or not; readers skip hidden ones), a business for the
// good-boss list.
func (s *Service) SetActivity(ctx context.Context, a Activity) (*Activity, error) {
	switch a.Kind {
	case ActivityPreferredHomestay:
		if _, err := s.store.Homestay(ctx, a.DataID); err != nil {
			return nil, err
		}
	case ActivityGoodBoss:
		if _, err := s.store.Business(ctx, a.DataID); err != nil {
			return nil, err
		}
	default:
		return nil, ErrInvalidArgument
	}
	return s.store.SetActivity(ctx, a)
}
