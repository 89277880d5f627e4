package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// UpdateHomestay implements travelv1connect.TravelServiceHandler.
func (s *Server) UpdateHomestay(ctx context.Context, req *connect.Request[travelv1.UpdateHomestayRequest]) (*connect.Response[travelv1.UpdateHomestayResponse], error) {
	m := req.Msg
	h, err := s.app.UpdateHomestay(ctx, m.GetId(), m.GetLandlordUserId(), m.GetVersion(), wire.AppHomestayFields(m.GetFields()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.UpdateHomestayResponse{Homestay: wire.Homestay(h)}), nil
}
