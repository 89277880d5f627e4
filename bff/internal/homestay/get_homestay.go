package homestay

import (
	"context"
	"slices"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// recentComments is how many comments the detail page shows before "more".
const recentComments = 10

// GetHomestay builds the detail page with two calls, whatever the number of comments:
//
//  1. travel's GetHomestayDetail: the homestay (its failure fails the page), its business and its
//     first page of comments, read together inside travel;
//  2. one BatchGetUsers for the landlord and every comment author.
//
// The second call needs the user ids the first returns, so they cannot run concurrently; one
// travel call instead of three concurrent ones costs the same wall time and a third of the
// hops. Optional parts that are missing are left empty and named in the response's degraded
// list.
func (s *Server) GetHomestay(ctx context.Context, req *connect.Request[bffv1.GetHomestayRequest]) (*connect.Response[bffv1.GetHomestayResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.GetHomestayDetail(ctx, connect.NewRequest(&travelv1.GetHomestayDetailRequest{
		Id: req.Msg.GetId(), ViewerUserId: claims.UserID, CommentPageSize: recentComments,
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	detail := res.Msg
	homestay := detail.GetHomestay()

	userIDs := []int64{homestay.GetLandlordUserId()}
	for _, c := range detail.GetComments() {
		userIDs = append(userIDs, c.GetUserId())
	}
	users, usersErr := s.composer.Profiles(ctx, userIDs)

	out := &bffv1.GetHomestayResponse{
		Homestay:              convert.Homestay(homestay, detail.GetBusiness().GetFields().GetTitle()),
		CommentsNextPageToken: detail.GetCommentsNextPageToken(),
	}
	missing := detail.GetMissingParts()
	if slices.Contains(missing, travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_BUSINESS) {
		out.Degraded = append(out.Degraded, "business")
	} else {
		out.Business = convert.Business(detail.GetBusiness())
	}
	if usersErr != nil {
		s.logger.WarnContext(ctx, "homestay page without user profiles", "homestay_id", homestay.GetId(), "error", usersErr.Error())
		out.Degraded = append(out.Degraded, "landlord")
	} else {
		out.Landlord = users[homestay.GetLandlordUserId()]
	}
	if slices.Contains(missing, travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_COMMENTS) {
		out.Degraded = append(out.Degraded, "comments")
	}
	for _, c := range detail.GetComments() {
		out.RecentComments = append(out.RecentComments, convert.Comment(c, users[c.GetUserId()]))
	}
	return connect.NewResponse(out), nil
}
