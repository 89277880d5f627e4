package app

import (
	"context"
	"strings"

	"github.com/looklook/looklook/services/travel/internal/pagetoken"
)

// ListComments returns a page of a homestay's comments, newest first. An unknown homestay is
// ErrHomestayNotFound. Comments of an off-shelf homestay stay readable: the service has no
// viewer here, and the landlord's own pages show them.
func (s *Service) ListComments(ctx context.Context, homestayID int64, size int, token string) ([]Comment, string, error) {
	size = pageSize(size)
	c, err := s.cursor(token, listComments, homestayID)
	if err != nil {
		return nil, "", err
	}
	if _, err := s.store.Homestay(ctx, homestayID); err != nil {
		return nil, "", err
	}
	return s.commentPage(ctx, homestayID, size, beforeID(c))
}

// commentPage reads size comments of a homestay below beforeID (0: the newest) and the token of
// the page after them.
func (s *Service) commentPage(ctx context.Context, homestayID int64, size int, beforeID int64) ([]Comment, string, error) {
	comments, err := s.store.Comments(ctx, homestayID, beforeID, size+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(comments) > size {
		comments = comments[:size]
		next = s.tokens.Encode(pagetoken.Cursor{List: listComments, Scope: homestayID, ID: comments[len(comments)-1].ID})
	}
	return comments, next, nil
}

// CreateComment stores a user's review of an on-shelf homestay and adds its star to the ratings
// of the homestay and its business in the same transaction. Landlords cannot review their own
// homestays: their stars would rank their own business.
func (s *Service) CreateComment(ctx context.Context, homestayID, userID int64, content string, star int32) (*Comment, error) {
	content = strings.TrimSpace(content)
	if content == "" {
		return nil, ErrBlankContent
	}
	if star < 1 || star > 5 {
		return nil, ErrInvalidArgument
	}
	return s.store.CreateComment(ctx, Comment{HomestayID: homestayID, UserID: userID, Content: content, Star: star}, func(h *Homestay) error {
		if !h.OnShelf {
			return ErrHomestayNotFound
		}
		if h.LandlordUserID == userID {
			return ErrOwnHomestay
		}
		return nil
	})
}
