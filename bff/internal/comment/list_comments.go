package comment

import (
	"context"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListComments pages through a homestay's comments with their authors (one batch call).
func (s *Server) ListComments(ctx context.Context, req *connect.Request[bffv1.ListCommentsRequest]) (*connect.Response[bffv1.ListCommentsResponse], error) {
	res, err := s.clients.Travel.ListComments(ctx, connect.NewRequest(&travelv1.ListCommentsRequest{
		HomestayId: req.Msg.GetHomestayId(), PageSize: req.Msg.GetPageSize(), PageToken: req.Msg.GetPageToken(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	comments, _ := s.composer.Comments(ctx, res.Msg.GetComments())
	return connect.NewResponse(&bffv1.ListCommentsResponse{Comments: comments, NextPageToken: res.Msg.GetNextPageToken()}), nil
}
