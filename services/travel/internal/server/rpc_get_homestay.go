package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// GetHomestay implements travelv1connect.TravelServiceHandler.
func (s *Server) GetHomestay(ctx context.Context, req *connect.Request[travelv1.GetHomestayRequest]) (*connect.Response[travelv1.GetHomestayResponse], error) {
	h, err := s.app.GetHomestay(ctx, req.Msg.GetId(), req.Msg.GetViewerUserId())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.GetHomestayResponse{Homestay: wire.Homestay(h)}), nil
}
