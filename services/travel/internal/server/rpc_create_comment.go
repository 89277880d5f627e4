package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// CreateComment implements travelv1connect.TravelServiceHandler.
func (s *Server) CreateComment(ctx context.Context, req *connect.Request[travelv1.CreateCommentRequest]) (*connect.Response[travelv1.CreateCommentResponse], error) {
	m := req.Msg
	c, err := s.app.CreateComment(ctx, m.GetHomestayId(), m.GetUserId(), m.GetContent(), m.GetStar())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.CreateCommentResponse{Comment: wire.Comment(c)}), nil
}
