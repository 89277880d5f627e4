package homestay

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// recentComments is how many comments the detail page shows before "more".
const recentComments = 10

// GetHomestay builds the detail page in two concurrent rounds, four calls whatever the number
// of comments:
//
//  1. the homestay (the core: its failure fails the call) and its first page of comments;
//  2. the business, and one BatchGetUsers for the landlord and every comment author.
//
// Optional parts that fail are left empty and named in the response's degraded list.
func (s *Server) GetHomestay(ctx context.Context, req *connect.Request[bffv1.GetHomestayRequest]) (*connect.Response[bffv1.GetHomestayResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	var (
		homestay    *travelv1.Homestay
		comments    *travelv1.ListCommentsResponse
		commentsErr error
	)
	// Comments are fetched alongside the homestay, not after it, to save a round trip; they are
	// discarded if the homestay turns out to be hidden from this caller. A failed homestay
	// cancels the comments call.
	round1, ctx1 := errgroup.WithContext(ctx)
	round1.Go(func() error {
		res, err := s.clients.Travel.GetHomestay(ctx1, connect.NewRequest(&travelv1.GetHomestayRequest{
			Id: req.Msg.GetId(), ViewerUserId: claims.UserID,
		}))
		if err != nil {
			return err
		}
		homestay = res.Msg.GetHomestay()
		return nil
	})
	round1.Go(func() error {
		res, err := s.clients.Travel.ListComments(ctx1, connect.NewRequest(&travelv1.ListCommentsRequest{
			HomestayId: req.Msg.GetId(), PageSize: recentComments,
		}))
		if err != nil {
			commentsErr = err
			return nil
		}
		comments = res.Msg
		return nil
	})
	if err := round1.Wait(); err != nil {
		return nil, rpcerror.Downstream(err)
	}

	out := &bffv1.GetHomestayResponse{}
	var (
		business    *travelv1.Business
		businessErr error
		users       map[int64]*bffv1.Profile
		usersErr    error
	)
	userIDs := []int64{homestay.GetLandlordUserId()}
	for _, c := range comments.GetComments() {
		userIDs = append(userIDs, c.GetUserId())
	}
	var round2 errgroup.Group
	round2.SetLimit(2)
	round2.Go(func() error {
		res, err := s.clients.Travel.GetBusiness(ctx, connect.NewRequest(&travelv1.GetBusinessRequest{Id: homestay.GetBusinessId()}))
		if err != nil {
			businessErr = err
			return nil
		}
		business = res.Msg.GetBusiness()
		return nil
	})
	round2.Go(func() error {
		users, usersErr = s.composer.Profiles(ctx, userIDs)
		return nil
	})
	_ = round2.Wait()

	out.Homestay = convert.Homestay(homestay, business.GetFields().GetTitle())
	if businessErr != nil {
		s.logger.WarnContext(ctx, "homestay page without its business", "homestay_id", homestay.GetId(), "error", businessErr.Error())
		out.Degraded = append(out.Degraded, "business")
	} else {
		out.Business = convert.Business(business)
	}
	if usersErr != nil {
		s.logger.WarnContext(ctx, "homestay page without user profiles", "homestay_id", homestay.GetId(), "error", usersErr.Error())
		out.Degraded = append(out.Degraded, "landlord")
	} else {
		out.Landlord = users[homestay.GetLandlordUserId()]
	}
	if commentsErr != nil {
		s.logger.WarnContext(ctx, "homestay page without comments", "homestay_id", homestay.GetId(), "error", commentsErr.Error())
		out.Degraded = append(out.Degraded, "comments")
	} else {
		for _, c := range comments.GetComments() {
			out.RecentComments = append(out.RecentComments, convert.Comment(c, users[c.GetUserId()]))
		}
		out.CommentsNextPageToken = comments.GetNextPageToken()
	}
	return connect.NewResponse(out), nil
}
