package app

import "context"

// HomestayDetail is what a homestay's page needs from travel: the homestay, its business and the
// first page of its comments. The business and the comments are optional: when one cannot be
// read, the page is still worth showing without it.
type HomestayDetail struct {
	Homestay *Homestay
	// Business is nil when MissingBusiness.
	Business        *Business
	MissingBusiness bool
	// Comments are the newest comments, newest first; CommentsNextPageToken continues them
	// with ListComments. Both are empty when MissingComments.
	Comments              []Comment
	CommentsNextPageToken string
	MissingComments       bool
}

// GetHomestayDetail returns a homestay visible to viewer (ErrHomestayNotFound otherwise, as
// GetHomestay) with its business and first commentPageSize comments. A part that fails is
// logged and marked missing rather than failing the call.
//
// The parts are read one after the other: each is normally an in-process cache hit of a few
// microseconds, cheaper than the goroutines that would read them concurrently.
func (s *Service) GetHomestayDetail(ctx context.Context, id, viewer int64, commentPageSize int) (*HomestayDetail, error) {
	h, err := s.GetHomestay(ctx, id, viewer)
	if err != nil {
		return nil, err
	}
	d := &HomestayDetail{Homestay: h}
	if d.Business, err = s.store.Business(ctx, h.BusinessID); err != nil {
		s.logger.WarnContext(ctx, "homestay detail without its business",
			"homestay_id", id, "business_id", h.BusinessID, "error", err)
		d.Business, d.MissingBusiness = nil, true
	}
	if d.Comments, d.CommentsNextPageToken, err = s.commentPage(ctx, id, pageSize(commentPageSize), 0); err != nil {
		s.logger.WarnContext(ctx, "homestay detail without its comments", "homestay_id", id, "error", err)
		d.Comments, d.CommentsNextPageToken, d.MissingComments = nil, "", true
	}
	return d, nil
}
