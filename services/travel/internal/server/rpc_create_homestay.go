package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// CreateHomestay implements travelv1connect.TravelServiceHandler.
func (s *Server) CreateHomestay(ctx context.Context, req *connect.Request[travelv1.CreateHomestayRequest]) (*connect.Response[travelv1.CreateHomestayResponse], error) {
	h, err := s.app.CreateHomestay(ctx, req.Msg.GetLandlordUserId(), wire.AppHomestayFields(req.Msg.GetFields()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.CreateHomestayResponse{Homestay: wire.Homestay(h)}), nil
}
