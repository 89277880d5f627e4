package comment

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// CreateComment reviews a homestay as the caller. travel enforces one comment per user per
// homestay and updates the rating in the same transaction.
func (s *Server) CreateComment(ctx context.Context, req *connect.Request[bffv1.CreateCommentRequest]) (*connect.Response[bffv1.CreateCommentResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	res, err := s.clients.Travel.CreateComment(ctx, connect.NewRequest(&travelv1.CreateCommentRequest{
		HomestayId: req.Msg.GetHomestayId(), UserId: claims.UserID, Content: req.Msg.GetContent(), Star: req.Msg.GetStar(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	comments, _ := s.composer.Comments(ctx, []*travelv1.Comment{res.Msg.GetComment()})
	return connect.NewResponse(&bffv1.CreateCommentResponse{Comment: comments[0]}), nil
}
