package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListComments implements travelv1connect.TravelServiceHandler.
func (s *Server) ListComments(ctx context.Context, req *connect.Request[travelv1.ListCommentsRequest]) (*connect.Response[travelv1.ListCommentsResponse], error) {
	cs, next, err := s.app.ListComments(ctx, req.Msg.GetHomestayId(), int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListCommentsResponse{Comments: wire.Comments(cs), NextPageToken: next}), nil
}
